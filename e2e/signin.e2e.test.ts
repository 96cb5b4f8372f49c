/**
 * Browser journeys through the identity shell: sign in, profile, sign out; register a person
 * and sign in with the new account; switch to English; a staff member's home.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { idNumberCheckChar } from '../shared/identity-numbers.js';
import { DEMO_PASSWORD, ensureWebBuilt, launchChromium, newJourney, spaced, startServer, waitForPath, type Journey, type RunningServer } from './support.js';

let server: RunningServer;
let browser: Browser;
let journey: Journey | undefined;

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startServer();
  browser = await launchChromium();
});

afterEach(async () => {
  await journey?.context.close();
  journey = undefined;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(path: string): Promise<Page> {
  journey = await newJourney(browser, server.baseUrl);
  await journey.page.goto(path);
  return journey.page;
}

/** antd puts a space between two CJK characters on buttons (登 录), so match either way. */

async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.locator('form').getByRole('button', { name: spaced('登录') }).click();
}

describe('sign-in journey', () => {
  it('signs in as the demo citizen, shows the masked profile, and signs out', async () => {
    const page = await open('/');
    // not signed in: the home page sends us to sign in
    await waitForPath(page, '/login');
    await page.getByText('用户登录').waitFor();

    // a wrong password shows the server's own message
    await signIn(page, 'citizen', 'not-the-password');
    await page.getByTestId('login-error').getByText(/用户名或密码错误/).waitFor();

    await signIn(page, 'citizen', DEMO_PASSWORD);
    await waitForPath(page, '/');
    await page.getByText('您好，张三').waitFor();
    for (const card of ['办事服务', '我的办件', '我的证照', '一件事一次办']) await page.getByTestId('feature-card').getByText(card, { exact: true }).waitFor();
    // every applicant card leads to its page now (the wallet came last)
    expect(await page.getByText('即将上线').count()).toBe(0);
    expect(await page.getByTestId('brand').textContent()).toBe('通办 · 河北政务服务');
    await page.screenshot({ path: '/tmp/tb-home.png', fullPage: true });

    // the user menu leads to the profile
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: '个人中心' }).click();
    await waitForPath(page, '/profile');
    await page.locator('.ant-dropdown:not(.ant-dropdown-hidden)').waitFor({ state: 'detached' });
    await page.getByText('1301**********1233').waitFor();
    await page.getByText('138****8000').waitFor();
    expect(await page.content()).not.toContain('130102199003071233');
    await page.getByText(/河北省 \/ 石家庄市 \/ 长安区/).waitFor();
    await page.screenshot({ path: '/tmp/tb-profile.png', fullPage: true });

    await page.getByTestId('logout').click();
    await waitForPath(page, '/login');
    await page.getByText('用户登录').waitFor();

    // the session is gone: home sends us back to sign in
    await page.goto('/');
    await waitForPath(page, '/login');
    expect(journey!.problems).toEqual([]);
  });

  it('registers a new person through the form and signs in with it', async () => {
    const page = await open('/register');
    await page.getByText('注册账户').waitFor();
    const username = `e2e.${Date.now().toString(36)}`;
    const password = 'e2e-password-123';
    const seq = String(100 + Math.floor(Math.random() * 800));
    const first17 = `13010219880512${seq}`;
    const idNumber = first17 + idNumberCheckChar(first17);
    const wrongCheck = first17 + (idNumberCheckChar(first17) === '0' ? '1' : '0');

    await page.getByLabel('用户名', { exact: true }).fill('citizen'); // taken: the server will say so
    await page.getByLabel('密码', { exact: true }).fill(password);
    await page.getByLabel('确认密码', { exact: true }).fill(password);
    await page.getByLabel('姓名', { exact: true }).fill('李雷');
    await page.getByLabel('手机号码', { exact: true }).fill('13912345678');

    // the check digit is verified in the browser before anything is sent
    const id = page.getByLabel('公民身份号码', { exact: true });
    await id.fill(wrongCheck);
    await id.blur();
    await page.getByText('公民身份号码校验码错误（GB 11643），请核对号码').waitFor();
    await id.fill(idNumber);
    await id.blur();
    await page.getByText('公民身份号码校验码错误（GB 11643），请核对号码').waitFor({ state: 'detached' });

    const submit = page.locator('form').getByRole('button', { name: spaced('注册') });
    await submit.click();
    // the server's 409 lands on the username field
    await page.locator('.ant-form-item-explain-error').getByText('用户名 citizen 已被使用，请换一个').waitFor();
    await page.screenshot({ path: '/tmp/tb-register.png', fullPage: true });

    await page.getByLabel('用户名', { exact: true }).fill(username);
    await submit.click();
    await waitForPath(page, '/login');
    await page.getByTestId('registered-notice').waitFor();
    expect(await page.getByLabel('用户名', { exact: true }).inputValue()).toBe(username);

    await page.getByLabel('密码', { exact: true }).fill(password);
    await page.locator('form').getByRole('button', { name: spaced('登录') }).click();
    await waitForPath(page, '/');
    await page.getByText('您好，李雷').waitFor();

    await page.goto('/profile');
    await page.getByText(`${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`).waitFor();
    expect(journey!.problems).toEqual([]);
  });

  it('switches the sign-in page to English and remembers the choice', async () => {
    const page = await open('/login');
    await page.getByText('用户登录').waitFor();
    await page.getByTestId('locale-switch').click();
    await page.getByText('Sign in', { exact: true }).first().waitFor();
    await page.getByLabel('Username', { exact: true }).waitFor();
    await page.getByLabel('Password', { exact: true }).waitFor();
    expect(await page.getByTestId('brand').textContent()).toBe('Tongban · Hebei Government Services');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en-US');
    await page.screenshot({ path: '/tmp/tb-login-en.png', fullPage: true });

    await page.reload();
    await page.getByLabel('Username', { exact: true }).waitFor();
    await page.getByTestId('locale-switch').click();
    await page.getByLabel('用户名', { exact: true }).waitFor();
    expect(journey!.problems).toEqual([]);
  });

  it('shows a staff member their department and roles', async () => {
    const page = await open('/login');
    await signIn(page, 'reviewer.amr', DEMO_PASSWORD);
    await waitForPath(page, '/');
    await page.getByText('您好，赵强').waitFor();
    expect(await page.getByTestId('department').textContent()).toBe('长安区市场监督管理局');
    expect(await page.getByTestId('role-tag').allTextContents()).toEqual(['审批人员']);
    await page.getByTestId('feature-card').getByText('工作台', { exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/tb-staff.png', fullPage: true });
    expect(journey!.problems).toEqual([]);
  });

  it('lists the regions of Hebei and opens a city', async () => {
    const page = await open('/regions');
    await page.getByTestId('region-130000').waitFor();
    await page.getByTestId('region-133100').getByText('地方代码').waitFor(); // 雄安新区, not in GB/T 2260
    await page.getByTestId('region-130100').waitFor();
    await page.locator('.ant-tree-treenode', { has: page.getByTestId('region-130100') }).locator('.ant-tree-switcher').click();
    await page.getByTestId('region-130102').waitFor(); // 长安区
    await page.screenshot({ path: '/tmp/tb-regions.png', fullPage: true });
    expect(journey!.problems).toEqual([]);
  });
});
