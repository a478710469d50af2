import { InteractionType, Platform, Visibility } from '@switchboard/contracts';
import { listFixtures, loadFixture } from '../fixtures';
import type { MessageEvent, NormalizedEvent, PlatformUser } from '../types';
import { parseFacebookWebhook } from './facebook-webhook.parser';

/** What the parser yields for each wire shape in fixtures/facebook (the `raw` field aside). */

const PAGE = '137542570280222';
const POST = '137542570280222_139560936744456';
const TOP_COMMENT = '139560936744456_139620233405726';
const PSID = '1254459154682919';
const MID = 'm_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P';

/** Omit over each member of a union. */
type Expected<T> = T extends unknown ? Omit<T, 'raw'> : never;
type WithoutPlatform<T> = T extends unknown ? Omit<T, 'raw' | 'platform'> : never;

const seconds = (value: number) => new Date(value * 1000).toISOString();
const millis = (value: number) => new Date(value).toISOString();

const commenter = (id: string, name: string | null): PlatformUser => ({
  platformUserId: id,
  handle: null,
  name,
  followers: null,
  profileUrl: `https://www.facebook.com/${id}`,
  avatarUrl: null,
});
const USER = commenter('139560936744123', 'user');
const CUSTOMER: PlatformUser = {
  platformUserId: PSID,
  handle: null,
  name: null,
  followers: null,
  profileUrl: null,
  avatarUrl: null,
};

const feedMessage = (fields: Partial<Expected<MessageEvent>>): Expected<MessageEvent> => ({
  kind: 'message',
  platform: Platform.FACEBOOK,
  accountPlatformId: PAGE,
  platformMessageId: '',
  type: InteractionType.CONVERSATION,
  visibility: Visibility.PUBLIC,
  thread: { kind: 'key', conversationKey: '' },
  inReplyTo: null,
  author: USER,
  fromAccount: false,
  text: null,
  attachments: [],
  sentAt: '',
  editOf: null,
  ...fields,
});
const topLevelComment = (id: string, fields: Partial<Expected<MessageEvent>>) =>
  feedMessage({
    platformMessageId: id,
    thread: { kind: 'reply', inReplyToPlatformId: POST, fallbackKey: id },
    inReplyTo: POST,
    ...fields,
  });
const post = (id: string, fields: Partial<Expected<MessageEvent>>) =>
  feedMessage({ platformMessageId: id, thread: { kind: 'key', conversationKey: id }, ...fields });
const messengerMessage = (id: string, fields: Partial<Expected<MessageEvent>>) =>
  feedMessage({
    platformMessageId: id,
    type: InteractionType.DIRECT_MESSAGE,
    visibility: Visibility.PRIVATE,
    thread: { kind: 'key', conversationKey: `${PAGE}-${PSID}` },
    author: CUSTOMER,
    ...fields,
  });
const other = (fields: WithoutPlatform<NormalizedEvent>): Expected<NormalizedEvent> => ({
  platform: Platform.FACEBOOK,
  ...fields,
});

const EXPECTED: Record<string, Expected<NormalizedEvent>[]> = {
  'comment-top-level': [topLevelComment(TOP_COMMENT, { text: 'Good', sentAt: seconds(1511951015) })],
  'comment-reply': [
    feedMessage({
      platformMessageId: '139560936744456_139620233405999',
      thread: { kind: 'reply', inReplyToPlatformId: TOP_COMMENT, fallbackKey: TOP_COMMENT },
      inReplyTo: TOP_COMMENT,
      text: 'Still waiting for my parcel',
      sentAt: seconds(1511951075),
    }),
  ],
  'comment-without-from': [
    topLevelComment('139560936744456_139620233406111', {
      author: null,
      text: 'Is anyone there?',
      sentAt: seconds(1511951100),
    }),
  ],
  'comment-by-page': [
    feedMessage({
      platformMessageId: '139560936744456_140077616693321',
      thread: { kind: 'reply', inReplyToPlatformId: TOP_COMMENT, fallbackKey: TOP_COMMENT },
      inReplyTo: TOP_COMMENT,
      author: null,
      fromAccount: true,
      text: 'Public reply!',
      sentAt: seconds(1512121727),
    }),
  ],
  'comment-with-photo': [
    topLevelComment('139560936744456_139620233406222', {
      attachments: [{ type: 'image', url: 'https://scontent.xx.fbcdn.net/v/t39.1997-6/damaged-box.jpg' }],
      sentAt: seconds(1511951200),
    }),
  ],
  'post-status': [
    post('101259571653026_253689226410059', {
      accountPlatformId: '101259571653026',
      author: null,
      fromAccount: true,
      text: 'Test Post plz ignore',
      sentAt: seconds(1615416577),
    }),
  ],
  'post-photo': [
    post('101259571653026_253692729743042', {
      accountPlatformId: '101259571653026',
      author: null,
      fromAccount: true,
      attachments: [
        {
          type: 'image',
          url: 'https://scontent-iad3-1.xx.fbcdn.net/v/t1.6435-9/158485997_253692699743045_photo_n.jpg',
        },
      ],
      sentAt: seconds(1615417081),
    }),
  ],
  'post-visitor': [
    post('137542570280222_139610053406999', { text: 'Your app is down again', sentAt: seconds(1511949500) }),
  ],
  'post-removed': [
    other({
      kind: 'delete',
      accountPlatformId: PAGE,
      platformMessageId: '137542570280222_139610053406744',
      deletedAt: seconds(1511949068),
    }),
  ],
  'comment-edited': [
    other({
      kind: 'edit',
      accountPlatformId: PAGE,
      platformMessageId: '139560936744456_139597043408045',
      text: 'Great',
      editedAt: seconds(1511948891),
    }),
  ],
  'comment-removed': [
    other({
      kind: 'delete',
      accountPlatformId: PAGE,
      platformMessageId: '139560936744456_139597043408045',
      deletedAt: seconds(1511948944),
    }),
  ],
  'comment-hidden': [
    other({
      kind: 'hide',
      accountPlatformId: PAGE,
      platformMessageId: '139560936744456_139597043408045',
      hidden: true,
      at: seconds(1511949000),
    }),
  ],
  'comment-unhidden': [
    other({
      kind: 'hide',
      accountPlatformId: PAGE,
      platformMessageId: '139560936744456_139597043408045',
      hidden: false,
      at: seconds(1511949030),
    }),
  ],
  reaction: [],
  'messenger-text': [
    messengerMessage(MID, { text: 'Bonjour, ma commande n’est pas arrivée äöå', sentAt: millis(1458692752478) }),
  ],
  'messenger-attachments': [
    messengerMessage('m_ATTACHMENTS_1518479195308', {
      attachments: [
        { type: 'image', url: 'https://scontent.xx.fbcdn.net/v/t1.15752-9/receipt.png' },
        { type: 'file', url: 'https://cdn.fbsbx.com/v/t59.2708-21/invoice.pdf' },
        { type: 'fallback', url: 'https://youtu.be/bbo_fZAjIhg' },
      ],
      sentAt: millis(1518479195308),
    }),
  ],
  'messenger-sticker': [
    messengerMessage('m_STICKER_1518479195400', {
      attachments: [
        { type: 'sticker', url: 'https://scontent.xx.fbcdn.net/v/t39.1997-6/thumbs_up.png' },
        { type: 'image', url: 'https://scontent.xx.fbcdn.net/v/t39.1997-6/thumbs_up.png' },
      ],
      sentAt: millis(1518479195400),
    }),
  ],
  'messenger-echo': [
    messengerMessage('m_ECHO_1458692760000', {
      author: null,
      fromAccount: true,
      text: 'Hi! Let me check your order.',
      sentAt: millis(1458692760000),
    }),
  ],
  'messenger-delivery': [],
  'messenger-read': [],
  'messenger-postback': [
    messengerMessage('m_POSTBACK_1458692780000', { text: 'Talk to an agent', sentAt: millis(1458692780000) }),
  ],
  'messenger-postback-without-mid': [
    messengerMessage(`postback-${PSID}-1458692790000`, { text: 'Track my order', sentAt: millis(1458692790000) }),
  ],
  'messenger-edit': [
    other({
      kind: 'edit',
      accountPlatformId: PAGE,
      platformMessageId: MID,
      text: 'Bonjour, ma commande #A1042 n’est pas arrivée',
      editedAt: millis(1458692800000),
    }),
  ],
  'messenger-reaction': [],
  'messenger-standby': [],
  'test-event': [],
  'batch-two-pages': [
    topLevelComment('139560936744456_139620233407001', { text: 'First', sentAt: seconds(1511951015) }),
    other({
      kind: 'edit',
      accountPlatformId: PAGE,
      platformMessageId: '139560936744456_139620233407001',
      text: 'First!',
      editedAt: seconds(1511951017),
    }),
    feedMessage({
      accountPlatformId: '200000000000777',
      platformMessageId: '555_666',
      thread: { kind: 'reply', inReplyToPlatformId: '200000000000777_555', fallbackKey: '555_666' },
      inReplyTo: '200000000000777_555',
      author: commenter('300000000000042', 'Jane Doe'),
      text: 'Second page',
      sentAt: seconds(1511951019),
    }),
  ],
};

const withoutRaw = (events: NormalizedEvent[]) => events.map(({ raw: _raw, ...event }) => event);

describe('Facebook webhook fixtures', () => {
  it('has an expectation for every fixture file', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(listFixtures('facebook'));
  });

  it.each(Object.entries(EXPECTED))('%s', (name, expected) => {
    const text = loadFixture('facebook', name);
    expect(withoutRaw(parseFacebookWebhook(JSON.parse(text)))).toEqual(expected);
  });

  it('keeps the platform’s own object as raw', () => {
    const body = JSON.parse(loadFixture('facebook', 'messenger-echo')) as { entry: { messaging: unknown[] }[] };
    const [event] = parseFacebookWebhook(body);
    expect(event?.raw).toEqual(body.entry[0]?.messaging[0]);
  });
});
