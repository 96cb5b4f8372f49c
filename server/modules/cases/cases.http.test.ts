import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/support.js';
import { fillForm } from '../../../test/forms.js';
import { multipartFile, tinyPdf } from '../../../test/multipart.js';

// a clock the test moves: Monday 2026-11-02, 10:00 in Shijiazhuang
let clock = new Date('2026-11-02T02:00:00Z');
const advanceDays = (n: number) => (clock = new Date(clock.getTime() + n * 86_400_000));

let t: TestApp;
const cookies: Record<string, string> = {};
let foodItem: string;
let foodGuide: { formSchema: Record<string, unknown>; materials: { id: string; required: boolean }[]; department: { name: string } };

beforeAll(async () => {
  t = await testApp({ now: () => clock });
  for (const u of ['business', 'citizen', 'window', 'reviewer.amr', 'head.amr', 'reviewer.health', 'efficiency']) cookies[u] = await t.login(u);
  const found = await t.app.inject({ url: `/api/v1/items?q=${encodeURIComponent('食品经营许可')}&region=130102` });
  foodItem = found.json().items[0].itemCode;
  foodGuide = (await t.app.inject({ url: `/api/v1/items/${foodItem}/guide?region=130102` })).json();
});
afterAll(async () => t?.close());

const as = (user: string) => ({ cookie: cookies[user]! });

async function upload(user: string, name = 'licence.pdf', content = tinyPdf()) {
  const m = multipartFile(name, content);
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/uploads', payload: m.payload, headers: { ...m.headers, ...as(user) } });
  return res;
}

async function materialsFor(user: string) {
  const out = [];
  for (const m of foodGuide.materials.filter((x) => x.required)) out.push({ materialId: m.id, uploadId: (await upload(user)).json().id });
  return out;
}

async function fileFood(user = 'business', key?: string, body?: object) {
  const payload = body ?? { itemCode: foodItem, regionCode: '130102', form: fillForm(foodGuide.formSchema), materials: await materialsFor(user) };
  return t.app.inject({ method: 'POST', url: '/api/v1/cases', payload, headers: { ...as(user), ...(key ? { 'idempotency-key': key } : {}) } });
}

const action = (caseNo: string, user: string, body: object) => t.app.inject({ method: 'POST', url: `/api/v1/cases/${caseNo}/actions`, payload: body, headers: as(user) });

describe('uploads', () => {
  it('decides the type by content, keeps the SHA-256, and refuses a disguised file', async () => {
    const ok = await upload('business');
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ mediaType: 'application/pdf', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const fake = await upload('business', 'scan.pdf', Buffer.from('MZ this is really an executable'));
    expect(fake.statusCode).toBe(400);
    expect(fake.json().error.details.issues[0]).toMatchObject({ path: 'file' });
  });

  it('answers 413 beyond 20 MiB', async () => {
    const big = Buffer.concat([tinyPdf(), Buffer.alloc(21 * 1024 * 1024)]);
    const res = await upload('business', 'big.pdf', big);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('keeps the file under the data directory, and answers 500, not a cut-off file, when it is gone', async () => {
    const { id } = (await upload('business')).json();
    const file = path.join(t.runtime.config.dataDir, 'uploads', id.slice(0, 2), id);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await t.app.inject({ url: `/api/v1/uploads/${id}`, headers: as('business') })).statusCode).toBe(200);
    rmSync(file);
    const lost = await t.app.inject({ url: `/api/v1/uploads/${id}`, headers: as('business') });
    expect(lost.statusCode).toBe(500);
    expect(lost.json().error.code).toBe('INTERNAL');
  });

  it('lets an applicant use only their own uploads', async () => {
    const others = (await upload('citizen')).json().id;
    const m = foodGuide.materials.find((x) => x.required)!;
    const res = await fileFood('business', undefined, { itemCode: foodItem, regionCode: '130102', form: fillForm(foodGuide.formSchema), materials: [{ materialId: m.id, uploadId: others }] });
    expect(res.statusCode).toBe(403);
  });
});

describe('filing', () => {
  it('files a case, returns the first answer to a retry with the same key, and 409 for another body', async () => {
    const key = `key-${Date.now()}`;
    const body = { itemCode: foodItem, regionCode: '130102', form: fillForm(foodGuide.formSchema), materials: await materialsFor('business') };
    const first = await fileFood('business', key, body);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ status: 'submitted', queryCode: expect.any(String), implementation: { version: expect.any(Number) } });
    const again = await fileFood('business', key, body);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    // the first answer, not the case as it is now (accepted since)
    expect((await action(first.json().caseNo, 'window', { action: 'accept' })).statusCode).toBe(200);
    const later = await fileFood('business', key, body);
    expect(later.statusCode).toBe(201);
    expect(later.json()).toEqual(first.json());
    const other = await fileFood('business', key);
    expect(other.statusCode).toBe(409);
    const count = await t.runtime.db.selectFrom('cases').select('case_no').where('case_no', '=', first.json().caseNo).execute();
    expect(count).toHaveLength(1);
  });

  it('files once for concurrent sends with one key, each answered with that case', async () => {
    const key = `together-${Date.now()}`;
    const body = { itemCode: foodItem, regionCode: '130102', form: fillForm(foodGuide.formSchema), materials: await materialsFor('business') };
    const sends = await Promise.all(Array.from({ length: 4 }, () => fileFood('business', key, body)));
    expect(sends.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    const numbers = new Set(sends.map((r) => r.json().caseNo));
    expect(numbers.size).toBe(1);
    expect(sends.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    const [caseNo] = [...numbers];
    const cases = await t.runtime.db.selectFrom('cases').select('id').where('case_no', '=', caseNo!).execute();
    expect(cases).toHaveLength(1);
    const events = await t.runtime.db.selectFrom('case_events').select('action').where('case_id', '=', cases[0]!.id).execute();
    expect(events.map((e) => e.action)).toEqual(['submit']);
  });

  it('answers a retry whose first answer was never stored (the server died in between) with the case it filed', async () => {
    const key = `unstored-${Date.now()}`;
    const body = { itemCode: foodItem, regionCode: '130102', form: fillForm(foodGuide.formSchema), materials: await materialsFor('business') };
    const first = await fileFood('business', key, body);
    expect(first.statusCode).toBe(201);
    // as a process killed after the filing's statement committed, before the answer was stored
    const row = await t.runtime.db.updateTable('idempotency_keys').set({ status_code: 0, response: JSON.stringify(null) }).where('key', '=', key).returning(['resource']).executeTakeFirstOrThrow();
    expect(row.resource).toBe(first.json().caseNo);
    const again = await fileFood('business', key, body);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toMatchObject({ caseNo: first.json().caseNo, queryCode: first.json().queryCode, status: 'submitted' });
    expect((await fileFood('business', key)).statusCode).toBe(409); // another body: still refused
    expect(await t.runtime.db.selectFrom('cases').select('id').where('case_no', '=', first.json().caseNo).execute()).toHaveLength(1);
  });

  it('lists every failing form field', async () => {
    const res = await fileFood('business', undefined, { itemCode: foodItem, regionCode: '130102', form: {}, materials: [] });
    expect(res.statusCode).toBe(400);
    const required = (foodGuide.formSchema.required as string[]).map((k) => `form.${k}`);
    expect(res.json().error.details.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(required));
  });

  it('refuses a person filing a business-only item', async () => {
    const found = (await t.app.inject({ url: `/api/v1/items?q=${encodeURIComponent('劳务派遣经营许可')}&region=130102` })).json().items[0].itemCode;
    const guide = (await t.app.inject({ url: `/api/v1/items/${found}/guide?region=130102` })).json();
    expect(guide.applicantKinds).toEqual(['business']);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/cases', payload: { itemCode: found, regionCode: '130102', form: fillForm(guide.formSchema), materials: [] }, headers: as('citizen') });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues[0].path).toBe('itemCode');
  });
});

describe('one window, parallel review, decision', () => {
  it('runs submit → accept at the window → claim → approve → concluded, told to the applicant', async () => {
    const filed = (await fileFood()).json();
    expect((await action(filed.caseNo, 'window', { action: 'accept' })).json()).toMatchObject({ status: 'in_review', deadline: expect.any(String) });
    const c = (await t.app.inject({ url: `/api/v1/cases/${filed.caseNo}`, headers: as('reviewer.amr') })).json();
    const material = c.materials[0];
    const file = await t.app.inject({ url: `/api/v1/uploads/${material.uploadId}`, headers: as('reviewer.amr') });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await t.app.inject({ url: `/api/v1/uploads/${material.uploadId}`, headers: as('reviewer.health') })).statusCode).toBe(404);
    for (const s of c.steps) {
      const claimed = await action(filed.caseNo, 'reviewer.amr', { action: 'claim', step: s.key });
      expect(claimed.statusCode).toBe(200);
      expect(claimed.json().steps.find((x: { key: string }) => x.key === s.key)).toMatchObject({ claimedBy: '赵强', claimedByMe: true });
      expect((await action(filed.caseNo, 'reviewer.amr', { action: 'approve', step: s.key })).statusCode).toBe(200);
    }
    const done = (await t.app.inject({ url: `/api/v1/cases/${filed.caseNo}`, headers: as('business') })).json();
    expect(done).toMatchObject({ status: 'concluded', decision: 'approved' });
    expect(done.timeline.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['submit', 'accept', 'claim', 'approve', 'conclude']));
    const inbox = (await t.app.inject({ url: '/api/v1/me/messages', headers: as('business') })).json();
    expect(inbox.messages.some((m: { caseNo: string; title: string }) => m.caseNo === filed.caseNo && m.title.includes('已办结'))).toBe(true);
    const progress = await t.app.inject({ url: `/api/v1/public/progress?caseNo=${filed.caseNo}&queryCode=${filed.queryCode}` });
    expect(progress.json()).toMatchObject({ status: 'concluded', decision: 'approved' });
    expect(progress.body).not.toContain('91130102MA0DXQ7K30');
    expect((await t.app.inject({ url: `/api/v1/public/progress?caseNo=${filed.caseNo}&queryCode=WRONG123` })).statusCode).toBe(404);
  });

  it('answers a wrong transition with 409 naming the state and the action', async () => {
    const filed = (await fileFood()).json();
    await action(filed.caseNo, 'window', { action: 'accept' });
    const again = await action(filed.caseNo, 'window', { action: 'accept' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'INVALID_STATE_TRANSITION', details: { state: 'in_review', action: 'accept' } });
  });

  it('lets exactly one of two reviewers claim a step at once', async () => {
    const filed = (await fileFood()).json();
    const accepted = (await action(filed.caseNo, 'window', { action: 'accept' })).json();
    const step = accepted.steps[0].key;
    const [a, b] = await Promise.all([
      action(filed.caseNo, 'reviewer.amr', { action: 'claim', step }),
      action(filed.caseNo, 'head.amr', { action: 'claim', step }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
  });

  it('hides a case from a department it is not routed to', async () => {
    const filed = (await fileFood()).json();
    expect((await t.app.inject({ url: `/api/v1/cases/${filed.caseNo}`, headers: as('reviewer.health') })).statusCode).toBe(404);
    expect((await action(filed.caseNo, 'reviewer.health', { action: 'accept' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/v1/cases/${filed.caseNo}`, headers: as('citizen') })).statusCode).toBe(404);
  });

  it('requires reasons and legal basis to refuse', async () => {
    const filed = (await fileFood()).json();
    const res = await action(filed.caseNo, 'window', { action: 'reject' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues.map((i: { path: string }) => i.path)).toEqual(['reason', 'basis']);
  });
});

describe('correction, transfers and the efficiency watch', () => {
  it('pauses intake for a one-time correction notice and restarts it on resubmission', async () => {
    const filed = (await fileFood()).json();
    const m = foodGuide.materials.find((x) => x.required)!;
    const asked = (await action(filed.caseNo, 'window', { action: 'requestCorrection', items: [{ materialId: m.id, problem: '复印件不清晰' }] })).json();
    expect(asked.status).toBe('awaiting_correction');
    const upl = (await upload('business')).json().id;
    const back = (await action(filed.caseNo, 'business', { action: 'resubmit', materials: [{ materialId: m.id, uploadId: upl }] })).json();
    expect(back.status).toBe('submitted');
  });

  it('counts transfers as bounces and shows a twice-bounced case to the efficiency officer, who escalates it', async () => {
    const filed = (await fileFood()).json();
    const accepted = (await action(filed.caseNo, 'window', { action: 'accept' })).json();
    const step = accepted.steps[0].key;
    const depts = (await t.app.inject({ url: '/api/v1/departments?region=130102' })).json().departments as { id: string; kind: string }[];
    const health = depts.find((d) => d.kind === 'health')!.id;
    const amr = depts.find((d) => d.kind === 'amr')!.id;
    const transfer = { reason: '不属本部门职责', basis: '《河北省市场监督管理局职能配置、内设机构和人员编制规定》' };
    expect((await action(filed.caseNo, 'reviewer.amr', { action: 'transfer', step, toDepartmentId: health, ...transfer })).statusCode).toBe(200);
    expect((await action(filed.caseNo, 'reviewer.health', { action: 'transfer', step, toDepartmentId: amr, ...transfer })).json().bounces).toBe(2);
    const alerts = (await t.app.inject({ url: '/api/v1/efficiency/alerts?region=130102', headers: as('efficiency') })).json().alerts;
    expect(alerts).toContainEqual(expect.objectContaining({ kind: 'bounced', caseNo: filed.caseNo, bounces: 2 }));
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/efficiency/escalations', payload: { caseNo: filed.caseNo, note: '两次转办，提级督办' }, headers: as('efficiency') })).statusCode).toBe(204);
    const escalated = (await t.app.inject({ url: `/api/v1/cases/${filed.caseNo}`, headers: as('efficiency') })).json();
    expect(escalated.timeline.at(-1)).toMatchObject({ action: 'escalate', actionName: '督办', actorName: '冯静' });
    expect((await t.app.inject({ url: '/api/v1/efficiency/alerts?region=130102', headers: as('reviewer.amr') })).statusCode).toBe(403);
  });

  it('turns a case red when its deadline passes, and deems an untouched application accepted after 5 working days', async () => {
    const late = (await fileFood()).json();
    const accepted = (await action(late.caseNo, 'window', { action: 'accept' })).json();
    const untouched = (await fileFood()).json();
    advanceDays(45); // past any promised time limit
    for (const u of Object.keys(cookies)) cookies[u] = await t.login(u); // sessions ran out with the clock
    const alerts = (await t.app.inject({ url: '/api/v1/efficiency/alerts?region=130100', headers: as('efficiency') })).json().alerts;
    expect(alerts).toContainEqual(expect.objectContaining({ caseNo: accepted.caseNo, kind: 'case_overdue', light: 'red' }));
    expect(alerts).toContainEqual(expect.objectContaining({ caseNo: untouched.caseNo, kind: 'stalled_at_intake' }));
    const figures = (await t.app.inject({ url: '/api/v1/efficiency/departments?region=130102', headers: as('efficiency') })).json().departments;
    expect(figures.find((d: { department: string }) => d.department === '长安区市场监督管理局').overdue).toBeGreaterThan(0);
    const { sweep } = await import('./cases.queries.js');
    const swept = await sweep(t.ctx({ kind: 'console', operator: 'test' }));
    expect(swept.deemedAccepted).toBeGreaterThan(0);
    const now = (await t.app.inject({ url: `/api/v1/cases/${untouched.caseNo}`, headers: as('business') })).json();
    expect(now.status).toBe('in_review');
    expect(now.timeline.map((e: { action: string }) => e.action)).toContain('deemAccepted');
  });

  it('gives a reviewer a queue sorted by deadline', async () => {
    const tasks = (await t.app.inject({ url: '/api/v1/workbench/tasks', headers: as('reviewer.amr') })).json().tasks as { deadline: string }[];
    expect(tasks.length).toBeGreaterThan(0);
    const deadlines = tasks.map((x) => x.deadline);
    expect([...deadlines].sort()).toEqual(deadlines);
  });
});

describe('across modules', () => {
  it('issues the 食品经营许可证 to the holder’s wallet when the case is approved, and logs the reviewer’s view of the applicant’s data', async () => {
    for (const u of Object.keys(cookies)) cookies[u] = await t.login(u);
    const filed = (await fileFood()).json();
    await action(filed.caseNo, 'window', { action: 'accept' });
    const c = (await t.app.inject({ url: `/api/v1/cases/${filed.caseNo}`, headers: as('reviewer.amr') })).json();
    for (const s of c.steps) {
      await action(filed.caseNo, 'reviewer.amr', { action: 'claim', step: s.key });
      await action(filed.caseNo, 'reviewer.amr', { action: 'approve', step: s.key });
    }
    const wallet = (await t.app.inject({ url: '/api/v1/me/certificates', headers: as('business') })).json();
    const issued = JSON.stringify(wallet);
    expect(issued).toContain(filed.caseNo);
    const records = (await t.app.inject({ url: '/api/v1/me/access-records', headers: as('business') })).json();
    expect(JSON.stringify(records)).toContain(filed.caseNo);
  });

  it('runs the 开餐饮店 life event: one form, two departments reviewing in parallel, one overall status', async () => {
    const event = (await t.app.inject({ url: '/api/v1/life-events/open_restaurant' })).json();
    const form = fillForm(event.formSchema);
    const materials: Record<string, { materialId: string; uploadId: string }[]> = {};
    for (const item of event.items as { itemCode: string }[]) {
      const guide = (await t.app.inject({ url: `/api/v1/items/${item.itemCode}/guide?region=130102` })).json();
      materials[item.itemCode] = [];
      for (const m of guide.materials.filter((x: { required: boolean }) => x.required)) materials[item.itemCode]!.push({ materialId: m.id, uploadId: (await upload('business')).json().id });
    }
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/life-events/open_restaurant/applications', payload: { regionCode: '130102', form, materials }, headers: { ...as('business'), 'idempotency-key': `le-${Date.now()}` } });
    expect(res.statusCode).toBe(201);
    const app = res.json();
    expect(app.cases).toHaveLength(2);
    expect(app.owner.name).toBe('长安区政务服务中心');
    for (const c of app.cases) await action(c.caseNo, 'window', { action: 'accept' });
    // both departments are at work at the same time
    const amrTasks = (await t.app.inject({ url: '/api/v1/workbench/tasks?limit=500', headers: as('reviewer.amr') })).json().tasks.map((x: { caseNo: string }) => x.caseNo);
    const healthTasks = (await t.app.inject({ url: '/api/v1/workbench/tasks?limit=500', headers: as('reviewer.health') })).json().tasks.map((x: { caseNo: string }) => x.caseNo);
    const nos = app.cases.map((c: { caseNo: string }) => c.caseNo);
    expect(nos.some((n: string) => amrTasks.includes(n))).toBe(true);
    expect(nos.some((n: string) => healthTasks.includes(n))).toBe(true);
    // stage after stage (审查, then 决定), each department takes its own steps
    for (let pass = 0; pass < 4; pass++) for (const reviewer of ['reviewer.amr', 'reviewer.health']) {
      for (const no of nos) {
        const view = await t.app.inject({ url: `/api/v1/cases/${no}`, headers: as(reviewer) });
        if (view.statusCode !== 200) continue;
        for (const s of view.json().steps) {
          if (s.status !== 'active') continue;
          const mine = await action(no, reviewer, { action: 'claim', step: s.key });
          if (mine.statusCode === 200) await action(no, reviewer, { action: 'approve', step: s.key });
        }
      }
    }
    const overall = (await t.app.inject({ url: `/api/v1/life-events/applications/${app.id}`, headers: as('business') })).json();
    expect(overall).toMatchObject({ status: 'concluded', statusName: '全部办结' });
  });
});

describe('nobody asked twice (免提交)', () => {
  it('previews what government holds, files with a reference instead of an upload, and lets the officer verify it', async () => {
    for (const u of Object.keys(cookies)) cookies[u] = await t.login(u);
    const preview = await t.app.inject({ url: `/api/v1/items/${foodItem}/reuse?region=130102`, headers: as('business') });
    expect(preview.statusCode).toBe(200);
    const options = preview.json().materials as { materialId: string; required: boolean; source: { kind: string; reference: string; provider: string; asOf: string } | null; unavailable: string | null }[];
    const held = options.find((o) => o.source?.kind === 'certificate');
    expect(held).toBeDefined();
    expect(held!.source).toMatchObject({ provider: expect.any(String), asOf: expect.any(String) });
    expect(preview.json().locked).toEqual({ creditCode: '91130102MA0DXQ7K30' });
    const notHeld = options.find((o) => o.source === null && o.unavailable && o.unavailable !== '该材料需要上传');

    const materials = [];
    for (const m of foodGuide.materials.filter((x) => x.required)) {
      materials.push(m.id === held!.materialId ? { materialId: m.id, reuse: true } : { materialId: m.id, uploadId: (await upload('business')).json().id });
    }
    const filed = await fileFood('business', undefined, { itemCode: foodItem, regionCode: '130102', form: fillForm(foodGuide.formSchema), materials });
    expect(filed.statusCode).toBe(201);
    const c = filed.json();
    expect(c.reuse).toEqual({ avoided: 1, submitted: materials.length - 1 });
    expect(c.materials.find((m: { materialId: string }) => m.materialId === held!.materialId)).toMatchObject({ source: 'certificate', reference: held!.source!.reference, uploadId: null });

    const read = await t.app.inject({ url: `/api/v1/cases/${c.caseNo}/materials/${held!.materialId}`, headers: as('reviewer.amr') });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ source: 'certificate', certNo: held!.source!.reference, verification: { valid: true } });

    const stats = (await t.app.inject({ url: '/api/v1/reuse/stats?region=130102' })).json().items;
    expect(stats.find((s: { itemCode: string }) => s.itemCode === foodItem).materialsAvoided).toBeGreaterThanOrEqual(1);

    if (notHeld) {
      const refused = await fileFood('business', undefined, { itemCode: foodItem, regionCode: '130102', form: fillForm(foodGuide.formSchema), materials: [{ materialId: notHeld.materialId, reuse: true }] });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.details.issues[0].path).toBe('materials.0.reuse');
    }
  });

  it('locks the verified identifier: another credit code in the form is refused', async () => {
    const form = { ...fillForm(foodGuide.formSchema), creditCode: '92130102MA0E1B2C48' }; // a valid code, but not this business's
    const res = await fileFood('business', undefined, { itemCode: foodItem, regionCode: '130102', form, materials: [] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues).toContainEqual({ path: 'form.creditCode', message: expect.stringContaining('已由登记信息核验') });
  });
});
