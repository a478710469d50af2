import type { Browser, Page } from 'playwright-core';
import { ApiClient } from '../support/api-client';
import { accessibilityProblems, launchBrowser, screenshot, signIn } from '../support/browser';
import { createAgent, createChannel, facebookAccountBody } from '../support/builders';
import { ADMIN_PASSWORD, startStack, type Stack } from '../support/stack';

/**
 * What the desk shows of a thread and of offers beyond the main flow, in Chromium through the real stack and the
 * simulator: a missed offer and why the status went away; edits with their earlier text, hidden and deleted comments,
 * attachments as links, and a reply the platform refused with its error.
 */
describe('the desk: missed offers and everything a thread can hold', () => {
  let stack: Stack;
  let browser: Browser;
  let desk: Page;

  beforeAll(async () => {
    stack = await startStack();
    const admin = await ApiClient.login(stack.baseUrl, 'admin', ADMIN_PASSWORD);
    const account = (await admin.create<{ id: string }>('/api/accounts', facebookAccountBody())).id;
    const care = (await admin.create<{ id: string }>('/api/workgroups', { name: 'Care', acceptTimeoutSeconds: 5 })).id;
    await createAgent(admin, 'erin', [care]);
    await createChannel(admin, { accountId: account, workgroupId: care });
    browser = await launchBrowser();
    desk = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    await signIn(desk, stack.baseUrl, 'erin', 'erin-password');
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  const expectAccessible = async () => expect(await accessibilityProblems(desk)).toEqual([]);
  const thread = () => desk.getByRole('log', { name: 'Messages' });

  it('says why the status went to away when an offer was missed', async () => {
    await desk.getByLabel('My status').selectOption('available');
    await stack.sim.injectComment({
      text: 'an order question nobody answers',
      from: { id: '7100000001', name: 'Max Roe' },
    });
    await desk.getByTestId('offer').filter({ hasText: 'Max Roe' }).waitFor();
    await desk.getByText(/You missed an offer: it was not accepted in time/).waitFor({ timeout: 15_000 });
    expect(await desk.getByLabel('My status').inputValue()).toBe('away');
    await expectAccessible();
    await screenshot(desk, 'desk-missed-offer');
  });

  it('shows edits with the earlier text, hidden and deleted comments, and a reply the platform refused', async () => {
    const from = { id: '7100000002', name: 'Ann Lee' };
    const root = await stack.sim.injectComment({ text: 'where is my order', from });
    // Max's comment, missed above, is offered again too: Ann's is the one taken here.
    await desk.getByLabel('My status').selectOption('available');
    const offer = desk.getByTestId('offer').filter({ hasText: 'Ann Lee' });
    await offer.waitFor();
    await offer.getByRole('button', { name: /^Accept/ }).click();
    await desk.getByRole('heading', { name: /with Ann Lee/ }).waitFor();

    await stack.sim.injectComment({ verb: 'edited', commentId: root.ids.commentId, text: 'where is my order, please' });
    await thread().getByText('where is my order, please').waitFor();
    const edited = thread().locator('details.revisions');
    await edited.locator('summary').click();
    await edited.getByText('“where is my order”').waitFor();

    const hidden = await stack.sim.injectComment({
      parentCommentId: root.ids.commentId,
      text: 'my order number is 42, call me on 555-0100',
      from,
    });
    await thread().getByText('my order number is 42').waitFor();
    await stack.sim.injectComment({ verb: 'hide', commentId: hidden.ids.commentId });
    await thread()
      .getByText(/^Hidden on the Page/)
      .waitFor();

    const removed = await stack.sim.injectComment({
      parentCommentId: root.ids.commentId,
      text: 'wrong order, sorry',
      from,
    });
    await thread().getByText('wrong order, sorry').waitFor();
    await stack.sim.injectComment({ verb: 'remove', commentId: removed.ids.commentId });
    await thread()
      .getByText(/^Deleted by the customer/)
      .waitFor();

    // Meta refuses the reply (a permissions error): the agent sees it failed, and why.
    stack.sim.failNext({ method: 'POST', pathPattern: 'comments$', graphError: 200 });
    await desk.getByLabel('Your public reply').fill('We are looking into it.');
    await desk.keyboard.press('Control+Enter');
    const refused = thread().locator('li.message.outbound').filter({ hasText: 'We are looking into it.' });
    await refused.getByText(/^Not sent: /).waitFor({ timeout: 15_000 });
    expect(await refused.getByText(/^Not sent: /).innerText()).toMatch(/permission/i);
    await expectAccessible();
    await screenshot(desk, 'desk-thread-history');
  });

  it('shows a Messenger attachment as a link', async () => {
    // Max's comment keeps ringing out meanwhile (setting Erin away each time): back to available for this one.
    await desk.getByLabel('My status').selectOption('available');
    await stack.sim.injectMessage({
      text: 'photo of the broken order',
      attachments: [{ type: 'image', url: 'https://scontent.example/broken-order.jpg' }],
      from: { id: '7100000003', name: 'Kim Ash' },
    });
    const offer = desk.getByTestId('offer').filter({ hasText: 'photo of the broken order' });
    await offer.waitFor();
    await offer.getByRole('button', { name: /^Accept/ }).click();
    await thread().getByText('photo of the broken order').waitFor();
    const link = thread().getByRole('list', { name: 'Attachments' }).getByRole('link', { name: 'image attachment' });
    expect(await link.getAttribute('href')).toBe('https://scontent.example/broken-order.jpg');
    expect(await link.getAttribute('rel')).toContain('noopener');
    await expectAccessible();
  });
});
