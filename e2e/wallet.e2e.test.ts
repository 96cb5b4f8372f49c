/**
 * Browser journeys through certificates, data sharing and delegation, one context per person:
 * (1) `business` opens 我的证照, opens its 食品经营许可证, keeps the PDF and the signed file, makes a
 * 亮证 link that a stranger opens and sees verified, withdraws it (the link dies), and the public
 * verify page says 有效 by number and by file — and 无效 for the file with one field changed;
 * (2) `citizen` sees no one has read their data, files a case, the window clerk opens it, and the
 * citizen sees that read and objects to it;
 * (3) `reviewer.amr` asks 石家庄市公安局 for household data; its steward approves it;
 * (4) `catalogue` reads the floating heat map, an order's takeOver tasks, and records an order.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { journeySuite, spaced, waitForPath } from './support.js';
import { tinyPdf } from '../test/multipart.js';

const { signedIn, anonymous } = journeySuite();

const PDF = tinyPdf();



/** The OK button of the open modal or pop-confirm. */
async function confirm(page: Page) {
  await page.locator('.ant-modal:visible, .ant-popover:visible').last().getByRole('button', { name: spaced('确定') }).click();
}

async function openCard(page: Page, title: string, path: string) {
  await page.getByTestId('feature-card').getByText(title, { exact: true }).click();
  await waitForPath(page, path);
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

describe('wallet, verification, data tracker and delegation journeys', () => {
  it('business shows its 食品经营许可证 through a 亮证 link, withdraws it, and anyone verifies the certificate', async () => {
    const holder = await signedIn('business');
    const page = holder.page;
    // the home card leads to the wallet now (no more 即将上线)
    expect(await page.getByText('即将上线').count()).toBe(0);
    await openCard(page, '我的证照', '/wallet');
    const cards = page.getByTestId('wallet-card');
    await expect.poll(() => cards.count()).toBe(2);
    expect(new Set(await page.getByTestId('wallet-type').allTextContents())).toEqual(new Set(['营业执照', '食品经营许可证']));
    expect(await cards.getByTestId('cert-status').allTextContents()).toEqual(['有效', '有效']);
    await cards.filter({ hasText: '营业执照' }).getByText('长期').waitFor();
    await page.screenshot({ path: '/tmp/tb-wallet.png', fullPage: true });

    await cards.filter({ hasText: '食品经营许可证' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/wallet/SPJY-'));
    const certNo = (await page.getByTestId('cert-no').textContent())!.trim();
    expect(certNo).toMatch(/^SPJY-130102-\d{4}-\d{7}[0-9A-Z]$/);
    const fields = page.getByTestId('cert-fields');
    for (const text of ['石家庄市长安区通办餐饮有限公司（91130102MA0DXQ7K30）', '经营项目', '热食类食品制售', '长安区市场监督管理局', '2029-06-18']) await fields.getByText(text, { exact: true }).waitFor();

    // the printable PDF, with the holder's session
    const href = await page.getByTestId('download-pdf').getAttribute('href');
    expect(href).toBe(`/api/v1/certificates/${certNo}/pdf`);
    const pdf = await page.request.get(href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // the signed file to keep
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-document').click()]);
    expect(download.suggestedFilename()).toBe(`${certNo}.json`);
    const signedFile = readFileSync((await download.path())!, 'utf8');
    const doc = JSON.parse(signedFile);
    expect(doc.certificate.certNo).toBe(certNo);
    expect(doc.certificate.holder.creditCode).toBe('91130102MA0DXQ7K30');
    expect(doc.algorithm).toBe('ed25519');
    expect(typeof doc.signature).toBe('string');

    // 亮证: an hour-long link with its QR code
    await choose(page, '有效时长', '1 小时');
    await page.getByTestId('create-share').click();
    const link = page.getByTestId('share-url');
    await link.waitFor();
    const shareUrl = (await link.getAttribute('href'))!;
    expect(new URL(shareUrl).pathname).toMatch(/^\/certificates\/shared\/tbs_[A-Za-z0-9_-]{43}$/);
    await page.getByTestId('share-qr').locator('canvas').waitFor();
    await page.getByTestId('share-history').getByTestId('share-state').filter({ hasText: '有效' }).waitFor();
    await page.screenshot({ path: '/tmp/tb-wallet-share.png', fullPage: true });

    // a stranger, not signed in, opens the link and sees it verified, the holder shown as public law allows
    const stranger = await anonymous();
    await stranger.page.goto(shareUrl);
    await stranger.page.getByTestId('verdict').filter({ hasText: '证照有效，已核验' }).waitFor();
    expect(await stranger.page.getByTestId('shared-cert-no').textContent()).toBe(certNo);
    expect(await stranger.page.getByTestId('shared-type').textContent()).toBe('食品经营许可证');
    // a business's name and credit code are public (企业信息公示暂行条例); the person behind it is not shown
    expect(await stranger.page.getByTestId('shared-holder').textContent()).toBe('石家庄市长安区通办餐饮有限公司（91130102MA0DXQ7K30）');
    expect(await stranger.page.content()).not.toContain('130102198506123459');
    await stranger.page.getByText('热食类食品制售', { exact: true }).waitFor();
    await stranger.page.screenshot({ path: '/tmp/tb-wallet-shared.png', fullPage: true });

    // the holder withdraws it, and the link stops working
    await page.getByTestId('withdraw-new-share').click();
    await confirm(page);
    await page.getByTestId('new-share').waitFor({ state: 'detached' });
    await page.getByTestId('share-history').getByTestId('share-state').filter({ hasText: '已撤回' }).waitFor();
    await stranger.page.reload();
    await stranger.page.getByTestId('share-gone').waitFor();
    await stranger.page.getByText('分享链接不存在、已过期或已被持证人撤回').waitFor();
    await stranger.page.screenshot({ path: '/tmp/tb-wallet-withdrawn.png', fullPage: true });

    // the public verify page: by number (typed in lower case) …
    await stranger.page.goto('/verify');
    await stranger.page.getByLabel('证照编号', { exact: true }).fill(certNo.toLowerCase());
    await stranger.page.getByTestId('verify-number').click();
    await stranger.page.getByTestId('verdict').filter({ hasText: '证照有效' }).waitFor();
    expect(await stranger.page.getByTestId('verification').getByTestId('cert-status').textContent()).toBe('有效');
    expect(await stranger.page.getByTestId('verify-holder').textContent()).toBe('石家庄市长安区通办餐饮有限公司（91130102MA0DXQ7K30）');
    await stranger.page.screenshot({ path: '/tmp/tb-verify.png', fullPage: true });

    // … a number that does not exist …
    await stranger.page.getByLabel('证照编号', { exact: true }).fill('SPJY-130102-2026-00000011');
    await stranger.page.getByTestId('verify-number').click();
    await stranger.page.getByTestId('verify-error').filter({ hasText: '校验位不符' }).waitFor();

    // … the signed file as kept …
    await stranger.page.getByRole('tab', { name: '核验签名文件' }).click();
    await stranger.page.locator('input[type=file][accept*="json"]').setInputFiles({ name: `${certNo}.json`, mimeType: 'application/json', buffer: Buffer.from(signedFile) });
    await expect.poll(() => stranger.page.getByTestId('verify-document').inputValue()).toContain(certNo);
    await stranger.page.getByTestId('verify-document-submit').click();
    await stranger.page.getByTestId('verdict').filter({ hasText: '证照有效' }).waitFor();

    // … and with one field changed
    const tampered = JSON.parse(signedFile);
    tampered.certificate.fields.businessItems = '热食类食品制售；冷食类食品制售';
    await stranger.page.getByTestId('verify-document').fill(JSON.stringify(tampered, null, 2));
    await stranger.page.getByTestId('verify-document-submit').click();
    await stranger.page.getByTestId('verdict').filter({ hasText: '证照无效' }).waitFor();
    expect(await stranger.page.getByTestId('verify-reason').textContent()).toBe('签名与证照内容不符');
    await stranger.page.getByTestId('verify-message').filter({ hasText: '证照内容被改动' }).waitFor();
    await stranger.page.screenshot({ path: '/tmp/tb-verify-tampered.png', fullPage: true });

    // not JSON at all: said before anything is sent
    await stranger.page.getByTestId('verify-document').fill('{"certificate": ');
    await stranger.page.getByTestId('verify-document-submit').click();
    await stranger.page.getByTestId('verify-error').filter({ hasText: '不是有效的 JSON' }).waitFor();

    for (const j of [holder, stranger]) expect(j.problems).toEqual([]);
  });

  it('citizen sees who read their data: nobody, then the window clerk who opened their case; and objects', async () => {
    const citizen = await signedIn('citizen');
    const page = citizen.page;
    await openCard(page, '谁查看了我的数据', '/access-records');
    await page.getByTestId('access-empty').filter({ hasText: '暂无数据访问记录' }).waitFor();
    await page.screenshot({ path: '/tmp/tb-access-empty.png', fullPage: true });

    // the citizen files 就业创业证申领 at 长安区
    await page.goto('/services/HB-20-HRSS-005/apply?region=130102');
    await page.getByTestId('apply-title').waitFor();
    await page.getByLabel('申请人姓名', { exact: true }).fill('张三');
    // the verified ID number is filled in and locked (免提交: not asked again)
    expect(await page.getByLabel('公民身份号码', { exact: true }).isDisabled()).toBe(true);
    await page.getByLabel('手机号码', { exact: true }).fill('13800138000');
    await choose(page, '就业状态', '失业');
    await uploadAll(page.locator('form'), page);
    await page.getByTestId('submit-application').click();
    await page.waitForURL((u) => /^\/cases\/\d+$/.test(u.pathname));
    const caseNo = (await page.getByTestId('case-no').first().textContent())!.trim();

    // the applicant's own look at it leaves no record; the window clerk opening it does
    const clerk = await signedIn('window');
    await clerk.page.goto('/workbench');
    await clerk.page.getByRole('link', { name: caseNo }).click();
    await waitForPath(clerk.page, `/cases/${caseNo}`);
    await clerk.page.getByTestId('case-no').first().waitFor();

    await page.goto('/access-records');
    const row = page.getByTestId('access-records').locator('tbody tr', { has: page.getByRole('link', { name: caseNo }) });
    await row.waitFor();
    expect(await row.getByTestId('access-reader').textContent()).toBe('长安区政务服务中心');
    await row.getByText('工作人员', { exact: true }).waitFor();
    expect(await row.getByTestId('access-purpose').textContent()).toBe('办理办件 就业创业证申领');
    await row.getByText('申请人姓名', { exact: true }).first().waitFor();
    await row.getByText('查看办件', { exact: true }).waitFor();

    // an objection goes to the department holding the case
    await row.getByTestId('raise-objection').click();
    const modal = page.locator('.ant-modal:visible');
    await modal.getByRole('button', { name: spaced('确定') }).click();
    await modal.getByText('请说明异议理由').waitFor();
    await modal.getByLabel('异议理由', { exact: true }).fill('我没有委托窗口办理，请说明查看原因');
    await confirm(page);
    await row.getByTestId('objection-status').filter({ hasText: '异议处理中' }).waitFor();
    expect(await row.getByTestId('raise-objection').count()).toBe(0);
    await page.screenshot({ path: '/tmp/tb-access-records.png', fullPage: true });

    for (const j of [citizen, clerk]) expect(j.problems).toEqual([]);
  });

  it('a reviewer asks 石家庄市公安局 for household data; its data steward approves within the deadline', async () => {
    const reviewer = await signedIn('reviewer.amr');
    await openCard(reviewer.page, '数据共享', '/data');
    await reviewer.page.getByTestId('request-grant').click();
    const modal = reviewer.page.locator('.ant-modal:visible');
    await modal.getByLabel('数据资源', { exact: true }).click();
    await reviewer.page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="户籍信息（石家庄市公安局）"]').click();
    await modal.getByText('有条件共享', { exact: true }).waitFor();
    await modal.getByLabel('姓名 *', { exact: true }).check();
    await modal.getByLabel('公民身份号码 *', { exact: true }).check();
    await modal.getByLabel('用途', { exact: true }).fill('办理食品经营许可核验申请人身份');
    // conditional: the basis is asked for before anything is sent
    await modal.getByRole('button', { name: spaced('提交申请') }).click();
    await modal.getByText('请写明依据（法律、法规或政策文件）').waitFor();
    await modal.getByLabel('依据', { exact: true }).fill('《中华人民共和国居民身份证法》第十四条');
    await modal.getByRole('button', { name: spaced('提交申请') }).click();
    await modal.waitFor({ state: 'detached' });
    const requested = reviewer.page.getByTestId('grants').locator('tbody tr', { hasText: '户籍信息' });
    await requested.getByTestId('grant-status').filter({ hasText: '待审核' }).waitFor();
    const deadline = (await requested.locator('td').nth(6).textContent())!.trim();
    expect(deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await reviewer.page.screenshot({ path: '/tmp/tb-data-request.png', fullPage: true });

    const steward = await signedIn('steward');
    // the menu follows the one who signed in, without a reload
    expect(await steward.page.locator('.ant-layout-header .ant-menu-item').allTextContents()).toContain('数据共享');
    await openCard(steward.page, '数据共享', '/data');
    const pending = steward.page.getByTestId('grants').locator('tbody tr', { hasText: '长安区市场监督管理局' });
    await pending.getByTestId('grant-status').filter({ hasText: '待审核' }).waitFor();
    expect((await pending.locator('td').nth(6).textContent())!.trim()).toBe(deadline);
    await pending.getByText('姓名', { exact: true }).waitFor();
    await steward.page.screenshot({ path: '/tmp/tb-data-steward.png', fullPage: true });
    await pending.getByRole('button', { name: spaced('审核') }).click();
    await confirm(steward.page);
    await pending.getByTestId('grant-status').filter({ hasText: '已授权' }).waitFor();

    // the catalogue and the objections are a tab away
    await steward.page.getByRole('tab', { name: '资源目录' }).click();
    await steward.page.getByTestId('data-catalogue').getByText('户籍信息', { exact: true }).waitFor();
    await steward.page.getByRole('tab', { name: '访问异议' }).click();
    await steward.page.getByTestId('objections').waitFor();

    await reviewer.page.reload();
    await reviewer.page.getByTestId('grants').locator('tbody tr', { hasText: '户籍信息' }).getByTestId('grant-status').filter({ hasText: '已授权' }).waitFor();

    for (const j of [reviewer, steward]) expect(j.problems).toEqual([]);
  });

  it('catalogue reads the floating heat map and an order\'s deadlines, records an order; the receiving unit confirms its takeOver', async () => {
    const admin = await signedIn('catalogue');
    const page = admin.page;
    await openCard(page, '权力悬浮', '/delegations/floating');

    // the demo's unfinished takeOvers colour the map: at least one cell from pale to deep red
    const chart = page.getByTestId('floating-heatmap').locator('svg');
    await chart.waitFor();
    const coloured = async () =>
      chart.locator('path').evaluateAll((paths) =>
        paths.filter((p) => {
          const m = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(p.getAttribute('fill') ?? '');
          return !!m && Number(m[1]) - Number(m[3]) >= 60;
        }).length,
      );
    await expect.poll(coloured).toBeGreaterThan(0);
    const labels = await chart.locator('text').allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['石家庄市', '省级', '市级', '县级']));
    const rows = page.getByTestId('floating-rows');
    await rows.getByTestId('floating-region').filter({ hasText: '长安区' }).first().waitFor();
    await rows.getByTestId('floating-kind').filter({ hasText: '逾期未承接' }).first().waitFor();
    expect(Number(await page.getByTestId('level-county').locator('.ant-statistic-content-value').first().textContent())).toBeGreaterThan(0);
    await page.screenshot({ path: '/tmp/tb-floating.png', fullPage: true });

    // the deepest red is the most floating: 石家庄市's counties (长安区); a click keeps only its rows
    await chart.locator('path[fill="rgb(168,7,26)"]').first().click({ position: { x: 12, y: 12 } }); // off the number in its middle
    expect(await page.getByTestId('floating-filter').textContent()).toBe('石家庄市 · 县级');
    expect(new Set(await rows.getByTestId('floating-region').allTextContents())).toEqual(new Set(['长安区']));

    // the order behind it: each takeOver task with its two deadlines, both past
    await page.getByTestId('section-delegations').click();
    await waitForPath(page, '/delegations');
    await page.getByTestId('delegations').getByRole('link', { name: '石政办发〔2026〕90号' }).click();
    await page.waitForURL((u) => /^\/delegations\/[0-9a-f-]{36}$/.test(u.pathname));
    const task = page.getByTestId('takeover-tasks').locator('tbody tr', { hasText: '长安区' });
    await task.getByText('建设用地规划许可').waitFor();
    expect(await task.getByTestId('takeover-status').textContent()).toBe('待承接');
    expect(await task.getByTestId('deadline-past').count()).toBe(2);
    // only the receiving unit confirms; the province's catalogue admin is not it
    expect(await task.getByRole('button', { name: /确认承接/ }).count()).toBe(0);
    await page.screenshot({ path: '/tmp/tb-delegation.png', fullPage: true });

    // record an order: the 文号 is checked in the browser first
    await page.goto('/delegations/new');
    await page.getByLabel('文号', { exact: true }).fill('冀政办发[2026]120号');
    await page.getByLabel('文号', { exact: true }).blur();
    await page.locator('.ant-form-item-explain-error').getByText(/年份应以六角括号〔〕括入/).waitFor();
    await page.getByLabel('文号', { exact: true }).fill('冀政办发〔2026〕120号');
    await page.getByLabel('文件标题', { exact: true }).fill('（测试）河北省人民政府办公厅关于向石家庄市及长安区下放食品经营许可的通知');
    // 石家庄市, and 长安区 under it
    await page.getByTestId('regions-select').click();
    const tree = page.locator('.ant-select-dropdown:visible');
    // each choice shows as a tag before the next: the tree re-renders as a level loads, and under
    // load a click on a node being replaced is lost (the order was then saved with one region)
    const chosen = (name: string) => page.getByTestId('regions-select').locator('.ant-select-selection-item', { hasText: name });
    const choose = async (name: string) => {
      for (let attempt = 1; ; attempt++) {
        await tree.locator(`.ant-select-tree-node-content-wrapper[title="${name}"]`).click();
        try {
          await chosen(name).waitFor({ timeout: 10_000 });
          return;
        } catch (e) {
          if (attempt === 3) throw e;
        }
      }
    };
    await choose('石家庄市');
    await tree.locator('.ant-select-tree-treenode', { has: page.locator('[title="石家庄市"]') }).locator('.ant-select-tree-switcher').click();
    await choose('长安区');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('regions-select').locator('.ant-select-selection-item').count()).toBe(2);
    await page.getByTestId('item-select').locator('input').fill('食品经营许可');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="食品经营许可（HB-01-AMR-001）"]').click();
    await page.keyboard.press('Escape');
    await page.getByLabel('生效日期', { exact: true }).fill('2026-12-01');
    await page.screenshot({ path: '/tmp/tb-delegation-new.png', fullPage: true });
    await page.getByTestId('submit-delegation').click();
    await page.waitForURL((u) => /^\/delegations\/[0-9a-f-]{36}$/.test(u.pathname));
    const orderPath = new URL(page.url()).pathname;
    expect(await page.getByTestId('delegation-document-no').textContent()).toBe('冀政办发〔2026〕120号');
    // rows of data only: while the tasks load, antd's table shows one placeholder row
    const tasks = page.getByTestId('takeover-tasks').locator('tbody tr.ant-table-row');
    await expect.poll(() => tasks.count()).toBe(2);
    for (const region of ['石家庄市', '长安区']) {
      const row = tasks.filter({ hasText: region });
      await row.getByText('食品经营许可').waitFor();
      expect(await row.getByTestId('takeover-status').textContent()).toBe('待承接');
    }
    await page.screenshot({ path: '/tmp/tb-delegation-created.png', fullPage: true });

    // the head of 长安区's market regulator confirms its takeOver: the implementation is published and staffed
    const head = await signedIn('head.amr');
    expect(await head.page.locator('.ant-layout-header .ant-menu-item').allTextContents()).toEqual(expect.arrayContaining(['工作台', '数据共享', '权力下放']));
    await openCard(head.page, '权力下放', '/delegations');
    await head.page.getByTestId('delegations').getByRole('link', { name: '冀政办发〔2026〕120号' }).click();
    await waitForPath(head.page, orderPath);
    const own = head.page.getByTestId('takeover-tasks').locator('tbody tr', { hasText: '长安区' });
    expect(await head.page.getByTestId('takeover-tasks').locator('tbody tr', { hasText: '石家庄市' }).getByRole('button').count()).toBe(0);
    await own.getByRole('button', { name: /确认承接/ }).click();
    await confirm(head.page);
    await own.getByTestId('takeover-status').filter({ hasText: '已承接' }).waitFor();
    await head.page.screenshot({ path: '/tmp/tb-delegation-confirmed.png', fullPage: true });

    // the pilots of 雄安新区
    await page.getByTestId('section-pilots').click();
    await waitForPath(page, '/delegations/pilots');
    await page.getByTestId('pilots').getByText('告知承诺审批', { exact: true }).waitFor();
    expect(await page.getByTestId('pilot-status').allTextContents()).toContain('实施中');

    for (const j of [admin, head]) expect(j.problems).toEqual([]);
  });
});
