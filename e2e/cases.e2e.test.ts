/**
 * Browser journeys through the case engine, one browser context per person:
 * (1) `business` finds 食品经营许可, reads the guide for 长安区, applies with the form rendered from
 * its JSON Schema (the verified credit code locked) and a PDF per material but the 营业执照 government
 * already holds (免提交); `window` accepts it from the workbench; `reviewer.amr`
 * claims and approves each step; the applicant sees it concluded and approved.
 * (2) the 开餐饮店 life event: one form, one submission, two departments reviewing in parallel,
 * the application ending 全部办结.
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { journeySuite, spaced, waitForPath } from './support.js';
import { tinyPdf } from '../test/multipart.js';

const { signedIn, anonymous } = journeySuite();

const PDF = tinyPdf();


async function fill(page: Page, label: string, value: string) {
  await page.getByLabel(label, { exact: true }).fill(value);
}

/** Opens the antd Select labelled `label` and picks each option (a multi-select keeps its list open). */
async function choose(page: Page, label: string, ...options: string[]) {
  await page.getByLabel(label, { exact: true }).click();
  for (const o of options) await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${o}"]`).click();
  await page.keyboard.press('Escape');
}

/** A tiny PDF into every material upload under `scope`; waits until the server has them all. */
async function uploadAll(scope: Locator, page: Page) {
  const inputs = scope.locator('[data-testid^="material-"] input[type=file]');
  const n = await inputs.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) await inputs.nth(i).setInputFiles({ name: `material-${i + 1}.pdf`, mimeType: 'application/pdf', buffer: PDF });
  await expect.poll(() => scope.getByTestId('upload-done').count(), { timeout: 20_000 }).toBe(n);
  expect(await page.getByTestId('upload-error').count()).toBe(0);
}

/** The OK button of the open modal or pop-confirm. */
async function confirm(page: Page) {
  await page.locator('.ant-modal:visible, .ant-popover:visible').last().getByRole('button', { name: spaced('确定') }).click();
}

async function statusIs(page: Page, text: string) {
  await page.getByTestId('case-status').first().filter({ hasText: text }).waitFor();
}

/** The window clerk accepts a case from the intake queue. */
async function acceptAtWindow(page: Page, caseNo: string) {
  await page.goto('/workbench');
  await page.getByRole('tab', { name: /待受理/ }).click();
  await page.getByRole('link', { name: caseNo }).click();
  await waitForPath(page, `/cases/${caseNo}`);
  await page.getByTestId('intake-actions').waitFor();
  await page.getByTestId('action-accept').click();
  await confirm(page);
  await statusIs(page, '审查中');
}

/** A reviewer claims and approves every step of their department, stage by stage, until none is left. */
async function reviewAll(page: Page, caseNo: string, steps: string[][]) {
  await page.goto('/workbench');
  await page.getByRole('tab', { name: /待审查/ }).click();
  await page.getByRole('link', { name: caseNo }).first().click();
  await waitForPath(page, `/cases/${caseNo}`);
  for (const stage of steps) {
    for (const step of stage) {
      await page.getByTestId(`claim-${step}`).click();
      await page.getByTestId(`approve-${step}`).waitFor();
    }
    for (const step of stage) {
      await page.getByTestId(`approve-${step}`).click();
      await confirm(page);
      await page.getByTestId(`approve-${step}`).waitFor({ state: 'detached' });
    }
  }
}

/**
 * Clicks 提交申请 until the filing request is sent (a click can be lost while the page is busy
 * under CI load; the same form keeps its Idempotency-Key, so a second send cannot file twice);
 * a form the page refuses fails here, with its messages.
 */
async function submitApplication(page: Page) {
  for (let attempt = 1; ; attempt++) {
    const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/cases', { timeout: 15_000 }).catch(() => null);
    await page.getByTestId('submit-application').click();
    if (await sent) return;
    const errors = await page.locator('.ant-form-item-explain-error, .ant-alert-message').allTextContents();
    if (errors.length > 0 || attempt === 3) throw new Error(`the application was not sent (attempt ${attempt}): ${errors.join(' | ') || 'no message on the page'}`);
  }
}

/** `business` files 食品经营许可 in 长安区 through the apply page; returns the case number. */
async function fileFoodLicence(page: Page): Promise<string> {
  await page.goto('/services/HB-01-AMR-001/apply?region=130102');
  await page.getByTestId('apply-title').waitFor();
  await fill(page, '经营者名称', '石家庄长安区好味道餐饮有限公司');
  // the credit code is the account's verified one, filled and locked
  await fill(page, '法定代表人（负责人）', '李四');
  await fill(page, '法定代表人公民身份号码', '130102198506123459');
  await fill(page, '经营场所', '河北省石家庄市长安区中山东路100号');
  await choose(page, '主体业态', '餐饮服务经营者');
  await choose(page, '经营项目', '热食类食品制售');
  await fill(page, '经营场所面积（平方米）', '60');
  await fill(page, '食品安全管理人员', '王五');
  await fill(page, '联系电话', '13900139000');
  await uploadAll(page.locator('form'), page);
  await submitApplication(page);
  await page.waitForURL((u) => /^\/cases\/\d+$/.test(u.pathname));
  return (await page.getByTestId('case-no').first().textContent())!.trim();
}

/** A reviewer transfers a step to another department with reason and basis (a bounce). */
async function transfer(page: Page, caseNo: string, step: string, to: string) {
  await page.goto('/workbench');
  await page.getByRole('tab', { name: /待审查/ }).click();
  await page.getByRole('link', { name: caseNo }).first().click();
  await waitForPath(page, `/cases/${caseNo}`);
  await page.getByTestId(`transfer-${step}`).click();
  const modal = page.locator('.ant-modal:visible');
  await modal.getByLabel('转至部门', { exact: true }).click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${to}"]`).click();
  await modal.getByLabel('理由', { exact: true }).fill('该环节应由对方部门承办');
  await modal.getByLabel('依据', { exact: true }).fill('《河北省行政审批事项办理规范》');
  await confirm(page);
  await page.locator('.ant-modal:visible').waitFor({ state: 'detached' });
}

describe('case journeys', () => {
  it('business applies for 食品经营许可 in 长安区; the window accepts; the reviewer approves; the applicant sees it concluded', async () => {
    const applicant = await signedIn('business');
    const page = applicant.page;

    // search → guide
    await page.getByText('办事服务', { exact: true }).first().click();
    await waitForPath(page, '/services');
    await page.getByTestId('service-search').locator('input').fill('食品经营许可');
    await page.getByTestId('service-search').locator('input').press('Enter');
    await page.getByTestId('item-link').filter({ hasText: '食品经营许可' }).first().click();
    await waitForPath(page, '/services/HB-01-AMR-001');
    expect(new URL(page.url()).searchParams.get('region')).toBe('130102');
    await page.getByTestId('guide-title').filter({ hasText: '食品经营许可' }).waitFor();
    expect(await page.getByTestId('guide-department').textContent()).toBe('长安区市场监督管理局');
    await page.getByText('《中华人民共和国食品安全法》第三十五条', { exact: false }).first().waitFor();
    await page.getByTestId('guide-materials').getByText('食品经营许可申请书').waitFor();
    await page.getByText('并联审批').first().waitFor();
    await page.screenshot({ path: '/tmp/tb-guide.png', fullPage: true });

    // apply: the form from its JSON Schema, one PDF per material
    await page.getByTestId('apply-button').first().click();
    await waitForPath(page, '/services/HB-01-AMR-001/apply');
    await page.getByTestId('apply-title').waitFor();
    // 免提交: the verified credit code is filled and locked, the name suggested
    const creditCode = page.getByLabel('统一社会信用代码', { exact: true });
    expect(await creditCode.inputValue()).toBe('91130102MA0DXQ7K30');
    expect(await creditCode.isDisabled()).toBe(true);
    await page.getByTestId('field-creditCode').getByText('已核验', { exact: false }).waitFor();
    expect(await page.getByLabel('经营者名称', { exact: true }).inputValue()).toBe('石家庄市长安区通办餐饮有限公司');
    // the 营业执照 government holds is offered instead of an upload
    const licence = page.getByTestId('material-m2');
    await licence.getByText('政府已掌握，无需提交').waitFor();
    expect(await licence.getByTestId('reuse-source-m2').textContent()).toMatch(/^营业执照 · .+ · \d{4}-\d{2}-\d{2}$/);
    expect(await licence.getByRole('radio', { name: '使用已有证照/数据' }).isChecked()).toBe(true);
    expect(await licence.locator('input[type=file]').count()).toBe(0);
    // choosing to upload brings the upload back; choosing reuse again hides it
    await licence.getByText('我要自己上传').click();
    await licence.locator('input[type=file]').waitFor({ state: 'attached' });
    await licence.getByText('使用已有证照/数据').click();
    await licence.locator('input[type=file]').waitFor({ state: 'detached' });

    // the form says what the schema says before anything is sent
    await page.getByTestId('submit-application').click();
    await page.locator('.ant-form-item-explain-error').getByText('请填写法定代表人（负责人）').waitFor();

    await fill(page, '经营者名称', '石家庄长安区好味道餐饮有限公司');
    await fill(page, '法定代表人（负责人）', '李四');
    await fill(page, '法定代表人公民身份号码', '13010219850612345'); // one short: the schema's pattern says so
    await page.getByLabel('法定代表人公民身份号码', { exact: true }).blur();
    await page.locator('.ant-form-item-explain-error').getByText('法定代表人公民身份号码格式不正确').waitFor();
    await fill(page, '法定代表人公民身份号码', '130102198506123459');
    await fill(page, '经营场所', '河北省石家庄市长安区中山东路100号');
    await choose(page, '主体业态', '餐饮服务经营者');
    await choose(page, '经营项目', '热食类食品制售', '冷食类食品制售');
    await fill(page, '经营场所面积（平方米）', '120');
    await fill(page, '食品安全管理人员', '王五');
    await fill(page, '联系电话', '13900139000');
    await uploadAll(page.locator('form'), page);
    await page.screenshot({ path: '/tmp/tb-apply.png', fullPage: true });

    const filing = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/cases');
    const filed = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/cases');
    await page.getByTestId('submit-application').click();
    const sent = (await filing).postDataJSON() as { materials: { materialId: string; uploadId?: string; reuse?: boolean }[]; form: Record<string, unknown> };
    expect(sent.materials.find((m) => m.materialId === 'm2')).toEqual({ materialId: 'm2', reuse: true });
    expect(sent.form.creditCode).toBe('91130102MA0DXQ7K30');
    expect(((await (await filed).json()) as { reuse: unknown }).reuse).toEqual({ avoided: 1, submitted: 5 });
    await page.waitForURL((u) => /^\/cases\/\d+$/.test(u.pathname));
    await page.getByTestId('filed-notice').waitFor();
    const caseNo = (await page.getByTestId('case-no').first().textContent())!.trim();
    expect(caseNo).toMatch(/^130102\d{8}\d{8}$/);
    await statusIs(page, '待受理');
    expect(await page.getByTestId('case-materials').locator('tbody tr').count()).toBe(6);
    await page.screenshot({ path: '/tmp/tb-case-submitted.png', fullPage: true });

    // the one window accepts it
    const clerk = await signedIn('window');
    await clerk.page.goto('/workbench');
    await clerk.page.getByRole('link', { name: caseNo }).waitFor();
    await clerk.page.screenshot({ path: '/tmp/tb-workbench-window.png', fullPage: true });
    await acceptAtWindow(clerk.page, caseNo);
    await clerk.page.screenshot({ path: '/tmp/tb-case-accepted.png', fullPage: true });

    // the market regulator reviews: 材料审查 and 现场核查 in parallel, then 审批决定
    const reviewer = await signedIn('reviewer.amr');
    await reviewer.page.goto('/workbench');
    await reviewer.page.getByRole('tab', { name: /待审查/ }).click();
    await reviewer.page.getByRole('link', { name: caseNo }).first().waitFor();
    await reviewer.page.screenshot({ path: '/tmp/tb-workbench-reviewer.png', fullPage: true });
    await reviewAll(reviewer.page, caseNo, [['paper_review', 'site_check'], ['decision']]);
    await statusIs(reviewer.page, '已办结');
    await reviewer.page.screenshot({ path: '/tmp/tb-case-reviewed.png', fullPage: true });

    // the applicant sees the decision
    await page.goto('/cases');
    const row = page.locator('tr', { has: page.getByRole('link', { name: caseNo }) });
    await row.getByText('已办结').waitFor();
    await row.getByText('准予许可').waitFor();
    await row.getByRole('link', { name: caseNo }).click();
    await statusIs(page, '已办结');
    expect(await page.getByTestId('decision-title').textContent()).toBe('准予许可');
    expect(await page.getByTestId('reuse-avoided').textContent()).toBe('免提交 1 份材料');
    await page.getByTestId('case-timeline').getByText('受理', { exact: true }).waitFor();
    expect(await page.getByTestId('case-timeline').getByText('同意', { exact: true }).count()).toBe(3);
    await page.screenshot({ path: '/tmp/tb-case-concluded.png', fullPage: true });

    // and anyone can follow it with the query code, without signing in
    const queryCode = (await page.locator('.ant-descriptions-item', { hasText: '查询码' }).locator('.ant-descriptions-item-content').textContent())!.trim();
    const stranger = await anonymous();
    await stranger.page.goto('/progress');
    await stranger.page.getByLabel('办件编号', { exact: true }).fill(caseNo);
    await stranger.page.getByLabel('查询码', { exact: true }).fill(queryCode);
    await stranger.page.getByRole('button', { name: /查\s*询/ }).click();
    await stranger.page.getByTestId('progress-result').getByText('已办结').waitFor();
    expect(await stranger.page.content()).not.toContain('130102198506123459');

    for (const j of [applicant, clerk, reviewer, stranger]) expect(j.problems).toEqual([]);
  });

  it('开餐饮店: one form, one submission, two departments in parallel, all concluded', async () => {
    const applicant = await signedIn('business');
    const page = applicant.page;
    await page.goto('/life-events');
    await page.getByTestId('life-event-open_restaurant').getByRole('button', { name: /一次申请/ }).click();
    await waitForPath(page, '/life-events/open_restaurant/apply');
    await page.getByTestId('life-event-title').waitFor();

    await fill(page, '经营者名称', '石家庄长安区好味道餐饮有限公司');
    await fill(page, '统一社会信用代码', '91130102MA0DXQ7K30');
    await fill(page, '法定代表人（负责人）', '李四');
    await fill(page, '法定代表人公民身份号码', '130102198506123459');
    await fill(page, '住所（经营场所）', '河北省石家庄市长安区中山东路100号');
    await fill(page, '联系电话', '13900139000');
    await choose(page, '主体业态', '餐饮服务经营者');
    await choose(page, '经营项目', '热食类食品制售');
    await fill(page, '经营面积（平方米）', '300');
    await choose(page, '兼营的公共场所类别', '宾馆旅店');
    await fill(page, '从业人员数', '12');
    await fill(page, '食品安全管理人员', '王五');
    await page.getByTestId('materials-HB-01-HEALTH-001').locator('[data-testid^="material-"]').first().waitFor();
    await uploadAll(page.locator('form'), page);
    await page.screenshot({ path: '/tmp/tb-life-event-apply.png', fullPage: true });

    await page.getByTestId('submit-life-event').click();
    await page.waitForURL((u) => u.pathname.startsWith('/life-events/applications/'));
    await page.getByTestId('filed-notice').waitFor();
    const applicationPath = new URL(page.url()).pathname;
    expect(await page.getByTestId('overall-status').textContent()).toBe('办理中');
    const caseLinks = page.getByTestId('case-link');
    await expect.poll(() => caseLinks.count()).toBe(2);
    const caseNos = (await caseLinks.allTextContents()).map((s) => s.trim());
    const rows = page.locator('tbody tr');
    const caseOf = async (item: string) => (await rows.filter({ hasText: item }).getByTestId('case-link').textContent())!.trim();
    const food = await caseOf('食品经营许可');
    const hygiene = await caseOf('公共场所卫生许可');
    expect(new Set([food, hygiene])).toEqual(new Set(caseNos));

    // the window accepts both cases
    const clerk = await signedIn('window');
    for (const caseNo of caseNos) await acceptAtWindow(clerk.page, caseNo);

    // two departments review at the same time
    const amr = await signedIn('reviewer.amr');
    const health = await signedIn('reviewer.health');
    await Promise.all([
      reviewAll(amr.page, food, [['paper_review', 'site_check'], ['decision']]),
      reviewAll(health.page, hygiene, [['paper_review', 'site_check'], ['decision']]),
    ]);
    await statusIs(amr.page, '已办结');
    await statusIs(health.page, '已办结');

    await page.goto(applicationPath);
    await page.getByTestId('overall-status').filter({ hasText: '全部办结' }).waitFor();
    expect(await rows.filter({ hasText: '准予许可' }).count()).toBe(2);
    await page.screenshot({ path: '/tmp/tb-life-event-concluded.png', fullPage: true });

    for (const j of [applicant, clerk, amr, health]) expect(j.problems).toEqual([]);
  });

  it('a case passed back and forth is a bounce: the efficiency officer sees the alert and escalates it', async () => {
    const applicant = await signedIn('business');
    const caseNo = await fileFoodLicence(applicant.page);
    const clerk = await signedIn('window');
    await acceptAtWindow(clerk.page, caseNo);

    // 推诿扯皮: the market regulator sends 材料审查 to health, and health sends it back
    const amr = await signedIn('reviewer.amr');
    await transfer(amr.page, caseNo, 'paper_review', '长安区卫生健康局');
    const health = await signedIn('reviewer.health');
    await transfer(health.page, caseNo, 'paper_review', '长安区市场监督管理局');
    await health.page.getByTestId('case-steps').getByText('2', { exact: true }).first().waitFor();
    await health.page.screenshot({ path: '/tmp/tb-case-bounced.png', fullPage: true });

    const officer = await signedIn('efficiency');
    await officer.page.goto('/efficiency');
    await officer.page.getByLabel('类型', { exact: true }).click();
    await officer.page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="多次转办"]').click();
    const row = officer.page.getByTestId('alerts').locator('tr', { has: officer.page.getByRole('link', { name: caseNo }) });
    await row.getByText('多次转办').waitFor();
    await row.getByTestId('light-red').waitFor();
    await row.getByTestId(`escalate-${caseNo}`).click();
    await officer.page.locator('.ant-modal:visible').getByLabel('督办意见', { exact: true }).fill('两次转办，请长安区市场监督管理局于今日内认领办理');
    await confirm(officer.page);
    await row.getByText('已督办').waitFor();
    const figures = officer.page.getByTestId('department-figures').locator('tr', { hasText: '长安区市场监督管理局' });
    expect((await figures.locator('td').nth(4).textContent())?.trim()).toBe('2'); // bounces
    await officer.page.screenshot({ path: '/tmp/tb-efficiency.png', fullPage: true });

    for (const j of [applicant, clerk, amr, health, officer]) expect(j.problems).toEqual([]);
  });
});
