import { Client as PgClient } from 'pg';
import { ApiClient } from './support/api-client';
import { ADMIN_PASSWORD, startStack, waitFor, type Stack } from './support/stack';
import { postWebhook } from './support/webhooks';

/** Two Pages of two different Meta apps: whoever holds one app's secret is the attacker of the other Page. */
const VICTIM = { pageId: '3000000000001', secret: 'victim-app-secret' };
const ATTACKER = { pageId: '3000000000002', secret: 'attacker-app-secret' };
const CUSTOMER = { id: '24242424', name: 'Jane Doe' };

let clock = 1_767_225_600;

/** One Page `feed` change, as Meta delivers it. */
function feed(pageId: string, value: Record<string, unknown>): string {
  clock += 1;
  return JSON.stringify({
    object: 'page',
    entry: [{ id: pageId, time: clock, changes: [{ field: 'feed', value: { created_time: clock, ...value } }] }],
  });
}

function comment(pageId: string, postId: string, commentId: string, text: string, parentId = postId): string {
  return feed(pageId, {
    from: CUSTOMER,
    item: 'comment',
    verb: 'add',
    comment_id: commentId,
    post_id: postId,
    parent_id: parentId,
    message: text,
  });
}

function change(pageId: string, verb: 'remove' | 'edited' | 'hide', postId: string, commentId: string): string {
  return feed(pageId, {
    from: CUSTOMER,
    item: 'comment',
    verb,
    comment_id: commentId,
    post_id: postId,
    parent_id: postId,
    ...(verb === 'edited' ? { message: 'rewritten by someone else' } : {}),
  });
}

interface MessageRow {
  id: string;
  account_id: string;
  text: string | null;
  revisions: unknown[];
  deleted_at: Date | null;
  hidden_at: Date | null;
  interaction_id: string | null;
}

describe('security: what an attacker on the internet can and cannot do', () => {
  let stack: Stack;
  let admin: ApiClient;
  let db: PgClient;
  const accounts = { victim: '', attacker: '' };

  beforeAll(async () => {
    stack = await startStack();
    admin = await ApiClient.login(stack.baseUrl, 'admin', ADMIN_PASSWORD);
    db = new PgClient({ connectionString: stack.databaseUrl });
    await db.connect();
    for (const [role, page] of [
      ['victim', VICTIM],
      ['attacker', ATTACKER],
    ] as const) {
      accounts[role] = (
        await admin.create('/api/accounts', {
          platform: 'facebook',
          name: `Page ${role}`,
          pageId: page.pageId,
          pageAccessToken: 't',
          appSecret: page.secret,
          verifyToken: `${role}-verify-token`,
        })
      ).id;
    }
    // Nobody staffs this queue: what is routed waits there.
    const queue = (await admin.create('/api/workgroups', { name: 'Unstaffed', acceptTimeoutSeconds: 60 })).id;
    await admin.create('/api/channels', {
      name: 'both pages',
      accountIds: [accounts.victim, accounts.attacker],
      keywords: {},
      publicWorkgroupId: queue,
      privateWorkgroupId: queue,
    });
  }, 240_000);

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  }, 60_000);

  const messagesWithId = async (platformMessageId: string): Promise<MessageRow[]> =>
    (
      await db.query<MessageRow>(
        `SELECT id, account_id, text, revisions, deleted_at, hidden_at, interaction_id FROM messages
          WHERE platform_message_id = $1 ORDER BY received_at`,
        [platformMessageId],
      )
    ).rows;
  const interaction = async (id: string) =>
    (
      await db.query<{ state: string; end_reason: string | null; account_id: string; workflow_id: string | null }>(
        'SELECT state, end_reason, account_id, workflow_id FROM interactions WHERE id = $1',
        [id],
      )
    ).rows[0];
  const post = (page: { secret: string }, body: string) => postWebhook(stack.baseUrl, 'facebook', body, page.secret);

  /** A customer comment on the victim Page, routed into a queued interaction. */
  async function victimThread(n: number): Promise<{ postId: string; commentId: string; interactionId: string }> {
    const postId = `${VICTIM.pageId}_${100 + n}`;
    const commentId = `${100 + n}_${500 + n}`;
    expect((await post(VICTIM, comment(VICTIM.pageId, postId, commentId, `Where is my order ${n}?`))).status).toBe(200);
    let interactionId = '';
    await waitFor(async () => {
      interactionId = (await messagesWithId(commentId))[0]?.interaction_id ?? '';
      return interactionId !== '' && (await interaction(interactionId))?.state === 'queued';
    });
    return { postId, commentId, interactionId };
  }

  describe('2. a signer reaches only its own account', () => {
    it("another Page's secret cannot delete, edit or hide the victim's comment, nor abandon its interaction", async () => {
      const thread = await victimThread(1);
      for (const verb of ['remove', 'edited', 'hide'] as const) {
        const response = await post(ATTACKER, change(ATTACKER.pageId, verb, thread.postId, thread.commentId));
        expect(response.status).toBe(200);
      }
      // The victim's entry signed with the attacker's secret carries nothing either.
      expect((await post(ATTACKER, change(VICTIM.pageId, 'remove', thread.postId, thread.commentId))).status).toBe(200);
      const [stored, ...others] = await messagesWithId(thread.commentId);
      expect(others).toEqual([]);
      expect(stored).toMatchObject({
        account_id: accounts.victim,
        text: 'Where is my order 1?',
        revisions: [],
        deleted_at: null,
        hidden_at: null,
      });
      expect(await interaction(thread.interactionId)).toMatchObject({ state: 'queued', end_reason: null });

      // The same deletion signed by the victim's own app does what it says: the check above could fail.
      expect((await post(VICTIM, change(VICTIM.pageId, 'remove', thread.postId, thread.commentId))).status).toBe(200);
      await waitFor(async () => (await interaction(thread.interactionId))?.state === 'completed');
      expect(await interaction(thread.interactionId)).toMatchObject({ end_reason: 'abandoned' });
    });

    it('a deletion sent ahead of a message that has not arrived yet is kept for its own account only', async () => {
      const postId = `${VICTIM.pageId}_200`;
      const commentId = '200_600';
      expect((await post(ATTACKER, change(ATTACKER.pageId, 'remove', postId, commentId))).status).toBe(200);
      expect((await post(VICTIM, comment(VICTIM.pageId, postId, commentId, 'Is anyone there?'))).status).toBe(200);
      let row: MessageRow | undefined;
      await waitFor(async () => {
        row = (await messagesWithId(commentId))[0];
        return row?.interaction_id !== null && row?.interaction_id !== undefined;
      });
      expect(row).toMatchObject({ account_id: accounts.victim, deleted_at: null });
      expect(await interaction(row!.interaction_id!)).toMatchObject({ state: 'queued' });
    });

    it("a reply forged under another Page never joins the victim's thread or interaction", async () => {
      const thread = await victimThread(3);
      // A reply to the victim's comment, and one reusing its id: the attacker's own copies, in the attacker's Page.
      const replyId = '103_900';
      const forged = [
        comment(ATTACKER.pageId, thread.postId, replyId, 'click this link', thread.commentId),
        comment(ATTACKER.pageId, thread.postId, thread.commentId, 'a copy of the victim comment'),
      ];
      for (const body of forged) expect((await post(ATTACKER, body)).status).toBe(200);
      await waitFor(async () => Boolean((await messagesWithId(replyId))[0]?.interaction_id));
      await waitFor(async () => (await messagesWithId(thread.commentId)).every((m) => m.interaction_id !== null));

      const victimMessages = await db.query<{ account_id: string }>(
        'SELECT account_id FROM messages WHERE interaction_id = $1',
        [thread.interactionId],
      );
      expect(victimMessages.rows).toEqual([{ account_id: accounts.victim }]);
      const [reply] = await messagesWithId(replyId);
      expect(reply?.account_id).toBe(accounts.attacker);
      const copies = await messagesWithId(thread.commentId);
      expect(copies.map((m) => m.account_id)).toEqual([accounts.victim, accounts.attacker]);
      expect(copies[0]?.text).toBe('Where is my order 3?');
      // The attacker's copy opened an interaction of its own, in its own workflow.
      const theirs = await interaction(copies[1]!.interaction_id!);
      const ours = await interaction(thread.interactionId);
      expect(theirs?.account_id).toBe(accounts.attacker);
      expect(theirs?.workflow_id).not.toBe(ours?.workflow_id);
      expect(ours).toMatchObject({ state: 'queued', workflow_id: `interaction-facebook-${thread.commentId}` });
      expect(theirs?.workflow_id).toBe(`interaction-facebook-${thread.commentId}~${ATTACKER.pageId}`);
    });
  });
});
