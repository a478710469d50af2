import type { Browser, Page } from 'playwright-core';
import { ApiClient } from '../support/api-client';
import { accessibilityProblems, launchBrowser, screenshot, signIn } from '../support/browser';
import { ADMIN_PASSWORD, startStack, type Stack } from '../support/stack';

/**
 * The admin and supervisor pages in Chromium: an account and a channel created through the forms (the API's
 * validation shown beside the field, secrets write-only), a deletion refused with its reason, the channel preview
 * naming the channel that would take a text and the word that refuses another; every page checked with axe-core.
 */
describe('admin and supervisor pages in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, stack.baseUrl, 'admin', ADMIN_PASSWORD);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  const expectAccessible = async () => expect(await accessibilityProblems(page)).toEqual([]);
  const open = async (path: string, heading: string) => {
    await page.goto(`${stack.baseUrl}${path}`);
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  };

  it('serves its pages with a policy: scripts only from itself, never inside another site’s frame', async () => {
    const response = await fetch(`${stack.baseUrl}/supervisor`);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ wss:/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    // The API's answers are not pages: no page policy there.
    expect((await fetch(`${stack.baseUrl}/health`)).headers.get('content-security-policy')).toBeNull();
  });

  it('creates a Facebook account, showing the API’s error beside its field, and never shows a secret back', async () => {
    await open('/admin/accounts', 'Accounts');
    await expectAccessible();
    await page.getByRole('button', { name: 'New account' }).click();
    await page.getByLabel('Name').fill('Acme Care');
    await page.getByLabel('Page id').fill('not-a-number');
    await page.getByLabel('Page access token').fill('page-token');
    await page.getByLabel('App secret').fill('app-secret');
    await page.getByLabel('Verify token').fill('verify-token');
    await page.getByRole('button', { name: 'Save' }).click();
    const pageId = page.getByLabel('Page id');
    await page.locator('.field-error', { hasText: 'numeric Page id' }).waitFor();
    expect(await pageId.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible();
    await screenshot(page, 'admin-account-error');
    await pageId.fill('1000000000001');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'Acme Care', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Edit Acme Care' }).click();
    expect(await page.getByLabel('App secret').inputValue()).toBe('');
    expect(await page.getByLabel('App secret').getAttribute('placeholder')).toMatch(/unchanged/);
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('creates a workgroup and a channel, and explains a refused deletion', async () => {
    await open('/admin/workgroups', 'Workgroups');
    await page.getByRole('button', { name: 'New workgroup' }).click();
    await page.getByLabel('Name').fill('Social Care');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'Social Care', exact: true }).waitFor();
    await expectAccessible();

    await open('/admin/channels', 'Channels');
    await page.getByRole('button', { name: 'New channel' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Refunds');
    await page.getByRole('checkbox', { name: 'Acme Care (Facebook)' }).check();
    await page.getByLabel('Any of these words').fill('refund, return');
    await page.getByLabel('None of these words').fill('giveaway');
    await page.getByLabel('Workgroup for public messages').selectOption({ label: 'Social Care' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'Refunds', exact: true }).waitFor();
    await expectAccessible();

    await open('/admin/workgroups', 'Workgroups');
    await page.getByRole('button', { name: 'Delete Social Care' }).click();
    await page
      .getByRole('alert')
      .getByText(/Cannot delete: still referenced/)
      .waitFor();
  });

  it('previews which channel takes a text, and which word refuses another', async () => {
    await open('/admin/channels', 'Channels');
    await page.getByLabel('Arriving on account').selectOption({ label: 'Acme Care (Facebook)' });
    await page.getByLabel('Message').fill('I want a REFUND for my order');
    await page.getByRole('button', { name: 'Test' }).click();
    const result = page.getByTestId('preview-result');
    await result.getByText('Routed by “Refunds” to Social Care.').waitFor();
    await result.getByText(/"refund" matched/).waitFor();
    await expectAccessible();
    await screenshot(page, 'admin-channel-preview');
    await page.getByLabel('Message').fill('Refund giveaway!');
    await page.getByRole('button', { name: 'Test' }).click();
    await result.getByText(/Filtered/).waitFor();
    await result.getByText(/refused by "giveaway"/).waitFor();
  });

  it('keeps every configuration page accessible', async () => {
    for (const [path, heading] of [
      ['/admin/users', 'Users'],
      ['/admin/wrapup-codes', 'Wrap-up codes'],
      ['/admin/standard-responses', 'Standard responses'],
    ] as const) {
      await open(path, heading);
      await page.getByRole('button', { name: /^New / }).click();
      await expectAccessible();
    }
  });

  it('lists interactions with filters, and shows and downloads reports', async () => {
    const admin = await ApiClient.login(stack.baseUrl, 'admin', ADMIN_PASSWORD);
    expect((await admin.get('/api/reports/workgroups')).status).toBe(200);
    await open('/supervisor/interactions', 'Interactions');
    await page.getByLabel('State').selectOption('completed');
    await expectAccessible();
    await open('/supervisor/reports', 'Reports');
    await page.getByLabel('Interval').selectOption('day');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByTestId('report').getByRole('cell', { name: 'Social Care', exact: true }).first().waitFor();
    // Read by people: names rather than ids, words for headers, days as dates in the reports' zone.
    const realtime = await admin.get<{ timeZone: string }>('/api/stats/realtime');
    expect(await page.locator('#report-zone').textContent()).toContain(realtime.body.timeZone);
    const headers = await page.getByTestId('report').locator('thead th').allTextContents();
    expect(headers).toEqual(expect.arrayContaining(['Interval start', 'Workgroup name', 'Service level (%)']));
    expect(headers.some((h) => /id$/i.test(h))).toBe(false);
    const day = await page.getByTestId('report').locator('tbody td.when').first().textContent();
    expect(day).toMatch(/\d{4}/);
    expect(day).not.toMatch(/:/);
    await expectAccessible();
    await screenshot(page, 'reports');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    expect((await download).suggestedFilename()).toMatch(/^workgroups-.*\.csv$/);
  });
});
