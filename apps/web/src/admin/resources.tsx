import { listToText, skillsToText, textToList, textToSkills } from '../lib/format';
import type { Option, ResourceSpec, Values } from './crud';

export interface Lookups {
  workgroups: Option[];
  accounts: Option[];
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown) => (v === '' || v === undefined || v === null ? undefined : Number(v));
/**
 * Only the fields that are set: a PATCH leaves the others alone. An empty text is sent as typed (the API says what
 * it needs); only secrets and passwords left empty while editing are left out, as "unchanged".
 */
const present = (body: Values): Values => Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
const names = (ids: string[], options: Option[]) =>
  ids.map((id) => options.find((o) => o.value === id)?.label ?? id).join(', ') || '—';

interface Account {
  id: string;
  platform: 'facebook' | 'twitter';
  name: string;
  pageId?: string;
  userId?: string;
  handle?: string | null;
  ingest?: string;
}

export function accounts(): ResourceSpec<Account> {
  const fb = (v: Values) => v['platform'] === 'facebook';
  const x = (v: Values) => v['platform'] === 'twitter';
  return {
    path: '/api/accounts',
    label: (a) => a.name,
    title: 'Accounts',
    singular: 'account',
    columns: [
      { label: 'Name', value: (a) => a.name },
      { label: 'Platform', value: (a) => (a.platform === 'facebook' ? 'Facebook Page' : 'X account') },
      { label: 'Id', value: (a) => a.pageId ?? a.userId ?? '' },
      { label: 'Handle', value: (a) => (a.handle ? `@${a.handle}` : '—') },
      { label: 'Ingest', value: (a) => a.ingest ?? 'webhook' },
    ],
    blank: { platform: 'facebook', ingest: 'webhook' },
    fields: [
      {
        name: 'platform',
        label: 'Platform',
        kind: 'select',
        required: true,
        fixed: true,
        options: [
          { value: 'facebook', label: 'Facebook Page' },
          { value: 'twitter', label: 'X account' },
        ],
      },
      { name: 'name', label: 'Name', kind: 'text', required: true },
      {
        name: 'pageId',
        label: 'Page id',
        kind: 'text',
        required: true,
        fixed: true,
        when: fb,
        help: 'The numeric Page id.',
      },
      { name: 'pageAccessToken', label: 'Page access token', kind: 'secret', required: true, when: fb },
      { name: 'appSecret', label: 'App secret', kind: 'secret', required: true, when: fb, help: 'Signs the webhooks.' },
      { name: 'verifyToken', label: 'Verify token', kind: 'secret', required: true, when: fb },
      { name: 'userId', label: 'X user id', kind: 'text', required: true, fixed: true, when: x },
      { name: 'handle', label: 'Handle', kind: 'text', required: true, when: x, help: 'Without the @.' },
      { name: 'consumerKey', label: 'Consumer key', kind: 'secret', required: true, when: x },
      { name: 'consumerSecret', label: 'Consumer secret', kind: 'secret', required: true, when: x },
      { name: 'accessToken', label: 'Access token', kind: 'secret', required: true, when: x },
      { name: 'accessTokenSecret', label: 'Access token secret', kind: 'secret', required: true, when: x },
      {
        name: 'ingest',
        label: 'How messages arrive',
        kind: 'select',
        required: true,
        when: x,
        options: [
          { value: 'webhook', label: 'Webhook (Account Activity)' },
          { value: 'poll', label: 'Polling the X API' },
        ],
      },
    ],
    toForm: (a) => ({
      platform: a.platform,
      name: a.name,
      pageId: a.pageId,
      userId: a.userId,
      handle: a.handle,
      ingest: a.ingest,
    }),
    toBody: (v, editing) => {
      const secrets = [
        'pageAccessToken',
        'appSecret',
        'verifyToken',
        'consumerKey',
        'consumerSecret',
        'accessToken',
        'accessTokenSecret',
      ];
      const fields =
        v['platform'] === 'facebook'
          ? ['pageId', 'pageAccessToken', 'appSecret', 'verifyToken']
          : ['userId', 'handle', 'ingest', 'consumerKey', 'consumerSecret', 'accessToken', 'accessTokenSecret'];
      const body: Values = { name: v['name'] };
      if (!editing) body['platform'] = v['platform'];
      for (const f of fields) {
        if (editing && (f === 'pageId' || f === 'userId')) continue;
        if (secrets.includes(f) && editing && !v[f]) continue;
        body[f] = v[f];
      }
      return present(body);
    },
  };
}

interface Workgroup {
  id: string;
  name: string;
  acceptTimeoutSeconds: number;
  wrapUpRequired: boolean;
  wrapUpTimeoutSeconds: number | null;
  serviceLevelSeconds: number;
  overflow: { afterSeconds: number; workgroupId: string } | null;
}

export function workgroups(lookups: Lookups): ResourceSpec<Workgroup> {
  return {
    path: '/api/workgroups',
    label: (w) => w.name,
    title: 'Workgroups',
    singular: 'workgroup',
    columns: [
      { label: 'Name', value: (w) => w.name },
      { label: 'Accept within', value: (w) => `${w.acceptTimeoutSeconds} s` },
      {
        label: 'Wrap-up',
        value: (w) =>
          `${w.wrapUpRequired ? 'required' : 'optional'}${w.wrapUpTimeoutSeconds ? `, ${w.wrapUpTimeoutSeconds} s` : ''}`,
      },
      { label: 'Service level', value: (w) => `${w.serviceLevelSeconds} s` },
      {
        label: 'Overflow',
        value: (w) =>
          w.overflow
            ? `after ${w.overflow.afterSeconds} s to ${names([w.overflow.workgroupId], lookups.workgroups)}`
            : '—',
      },
    ],
    blank: {
      acceptTimeoutSeconds: '30',
      wrapUpRequired: false,
      wrapUpTimeoutSeconds: '120',
      serviceLevelSeconds: '300',
    },
    fields: [
      { name: 'name', label: 'Name', kind: 'text', required: true },
      { name: 'acceptTimeoutSeconds', label: 'Seconds to accept an offer', kind: 'number', help: '5 to 3600.' },
      { name: 'wrapUpRequired', label: 'A wrap-up code is required', kind: 'checkbox' },
      {
        name: 'wrapUpTimeoutSeconds',
        label: 'Seconds of wrap-up',
        kind: 'number',
        help: 'Empty: wrap-up waits for the agent.',
      },
      {
        name: 'serviceLevelSeconds',
        label: 'Service level, seconds',
        kind: 'number',
        help: 'Answered within this counts toward service level.',
      },
      { name: 'overflow.afterSeconds', label: 'Overflow after, seconds', kind: 'number' },
      { name: 'overflow.workgroupId', label: 'Overflow to', kind: 'select', options: lookups.workgroups },
    ],
    toForm: (w) => ({
      name: w.name,
      acceptTimeoutSeconds: String(w.acceptTimeoutSeconds),
      wrapUpRequired: w.wrapUpRequired,
      wrapUpTimeoutSeconds: w.wrapUpTimeoutSeconds === null ? '' : String(w.wrapUpTimeoutSeconds),
      serviceLevelSeconds: String(w.serviceLevelSeconds),
      'overflow.afterSeconds': w.overflow ? String(w.overflow.afterSeconds) : '',
      'overflow.workgroupId': w.overflow?.workgroupId ?? '',
    }),
    toBody: (v) => {
      const overflowTo = str(v['overflow.workgroupId']);
      return {
        ...present({
          name: v['name'],
          acceptTimeoutSeconds: num(v['acceptTimeoutSeconds']),
          serviceLevelSeconds: num(v['serviceLevelSeconds']),
        }),
        wrapUpRequired: v['wrapUpRequired'] === true,
        wrapUpTimeoutSeconds: num(v['wrapUpTimeoutSeconds']) ?? null,
        overflow: overflowTo ? { afterSeconds: num(v['overflow.afterSeconds']), workgroupId: overflowTo } : null,
      };
    },
  };
}

interface User {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  workgroupIds: string[];
  skills: Record<string, number>;
  capacity: { conversation: number; directMessage: number };
  status: string;
}

export function users(lookups: Lookups): ResourceSpec<User> {
  return {
    path: '/api/users',
    label: (u) => u.displayName,
    title: 'Users',
    singular: 'user',
    columns: [
      { label: 'Name', value: (u) => u.displayName },
      { label: 'User name', value: (u) => u.username },
      { label: 'Roles', value: (u) => u.roles.join(', ') },
      { label: 'Workgroups', value: (u) => names(u.workgroupIds, lookups.workgroups) },
      { label: 'Skills', value: (u) => skillsToText(u.skills) || '—' },
      { label: 'Capacity', value: (u) => `${u.capacity.conversation} + ${u.capacity.directMessage}` },
    ],
    blank: { roles: ['agent'], workgroupIds: [], 'capacity.conversation': '3', 'capacity.directMessage': '2' },
    fields: [
      { name: 'username', label: 'User name', kind: 'text', required: true, help: '2–50 of a–z, 0–9, . _ -' },
      {
        name: 'password',
        label: 'Password',
        kind: 'password',
        required: true,
        help: 'At least 8 characters. Changing it signs the user out everywhere.',
      },
      { name: 'displayName', label: 'Display name', kind: 'text', required: true },
      {
        name: 'roles',
        label: 'Roles',
        kind: 'multi',
        options: [
          { value: 'agent', label: 'Agent' },
          { value: 'supervisor', label: 'Supervisor' },
          { value: 'admin', label: 'Administrator' },
        ],
      },
      { name: 'workgroupIds', label: 'Workgroups', kind: 'multi', options: lookups.workgroups },
      { name: 'skills', label: 'Skills with levels', kind: 'text', help: 'For example: billing=3, french=5' },
      { name: 'capacity.conversation', label: 'Conversations at once', kind: 'number' },
      { name: 'capacity.directMessage', label: 'Direct messages at once', kind: 'number' },
    ],
    toForm: (u) => ({
      username: u.username,
      displayName: u.displayName,
      roles: u.roles,
      workgroupIds: u.workgroupIds,
      skills: skillsToText(u.skills),
      'capacity.conversation': String(u.capacity.conversation),
      'capacity.directMessage': String(u.capacity.directMessage),
    }),
    toBody: (v, editing) =>
      present({
        username: v['username'],
        password: editing && !v['password'] ? undefined : v['password'],
        displayName: v['displayName'],
        roles: v['roles'],
        workgroupIds: v['workgroupIds'],
        skills: textToSkills(str(v['skills'])),
        capacity: {
          conversation: num(v['capacity.conversation']) ?? 3,
          directMessage: num(v['capacity.directMessage']) ?? 2,
        },
      }),
  };
}

interface Channel {
  id: string;
  name: string;
  accountIds: string[];
  keywords: { any: string[]; all: string[]; none: string[] };
  publicWorkgroupId: string | null;
  privateWorkgroupId: string | null;
  priority: number;
  skills: Record<string, number>;
  enabled: boolean;
}

export function channels(lookups: Lookups): ResourceSpec<Channel> {
  return {
    path: '/api/channels',
    label: (c) => c.name,
    title: 'Channels',
    singular: 'channel',
    columns: [
      { label: 'Name', value: (c) => c.name },
      { label: 'Accounts', value: (c) => names(c.accountIds, lookups.accounts) },
      {
        label: 'Keywords',
        value: (c) =>
          [
            c.keywords.any.length ? `any of ${listToText(c.keywords.any)}` : '',
            c.keywords.all.length ? `all of ${listToText(c.keywords.all)}` : '',
            c.keywords.none.length ? `none of ${listToText(c.keywords.none)}` : '',
          ]
            .filter(Boolean)
            .join('; ') || 'every message',
      },
      {
        label: 'Public → private',
        value: (c) =>
          `${names(c.publicWorkgroupId ? [c.publicWorkgroupId] : [], lookups.workgroups)} → ${names(c.privateWorkgroupId ? [c.privateWorkgroupId] : [], lookups.workgroups)}`,
      },
      { label: 'Priority', value: (c) => String(c.priority) },
      { label: 'Enabled', value: (c) => (c.enabled ? 'yes' : 'no') },
    ],
    blank: { accountIds: [], priority: '0', enabled: true },
    fields: [
      { name: 'name', label: 'Name', kind: 'text', required: true },
      { name: 'accountIds', label: 'Accounts', kind: 'multi', options: lookups.accounts },
      {
        name: 'keywords.any',
        label: 'Any of these words',
        kind: 'text',
        help: 'Comma-separated; whole words, any case or accent; #tags and @mentions too.',
      },
      { name: 'keywords.all', label: 'All of these words', kind: 'text' },
      { name: 'keywords.none', label: 'None of these words', kind: 'text' },
      {
        name: 'publicWorkgroupId',
        label: 'Workgroup for public messages',
        kind: 'select',
        options: lookups.workgroups,
      },
      {
        name: 'privateWorkgroupId',
        label: 'Workgroup for private messages',
        kind: 'select',
        options: lookups.workgroups,
      },
      { name: 'priority', label: 'Priority', kind: 'number', help: 'The highest matching channel wins.' },
      { name: 'skills', label: 'Skills required', kind: 'text', help: 'For example: billing=3' },
      { name: 'enabled', label: 'Enabled', kind: 'checkbox' },
    ],
    toForm: (c) => ({
      name: c.name,
      accountIds: c.accountIds,
      'keywords.any': listToText(c.keywords.any),
      'keywords.all': listToText(c.keywords.all),
      'keywords.none': listToText(c.keywords.none),
      publicWorkgroupId: c.publicWorkgroupId ?? '',
      privateWorkgroupId: c.privateWorkgroupId ?? '',
      priority: String(c.priority),
      skills: skillsToText(c.skills),
      enabled: c.enabled,
    }),
    toBody: (v) => ({
      ...present({
        name: v['name'],
        accountIds: v['accountIds'],
        priority: num(v['priority']),
      }),
      // "—" takes the workgroup away (a channel keeps at least one).
      publicWorkgroupId: str(v['publicWorkgroupId']) || null,
      privateWorkgroupId: str(v['privateWorkgroupId']) || null,
      keywords: {
        any: textToList(str(v['keywords.any'])),
        all: textToList(str(v['keywords.all'])),
        none: textToList(str(v['keywords.none'])),
      },
      skills: textToSkills(str(v['skills'])),
      enabled: v['enabled'] === true,
    }),
  };
}

interface Code {
  id: string;
  code: string;
  label: string;
  workgroupIds: string[];
}

export function wrapUpCodes(lookups: Lookups): ResourceSpec<Code> {
  return {
    path: '/api/wrapup-codes',
    label: (c) => c.label,
    title: 'Wrap-up codes',
    singular: 'wrap-up code',
    columns: [
      { label: 'Label', value: (c) => c.label },
      { label: 'Code', value: (c) => c.code },
      { label: 'Workgroups', value: (c) => names(c.workgroupIds, lookups.workgroups) || 'all' },
    ],
    blank: { workgroupIds: [] },
    fields: [
      { name: 'code', label: 'Code', kind: 'text', required: true },
      { name: 'label', label: 'Label', kind: 'text', required: true },
      { name: 'workgroupIds', label: 'Workgroups (none: all)', kind: 'multi', options: lookups.workgroups },
    ],
    toForm: (c) => ({ code: c.code, label: c.label, workgroupIds: c.workgroupIds }),
    toBody: (v) => present({ code: v['code'], label: v['label'], workgroupIds: v['workgroupIds'] }),
  };
}

interface Response {
  id: string;
  title: string;
  text: string;
  workgroupIds: string[];
}

export function standardResponses(lookups: Lookups): ResourceSpec<Response> {
  return {
    path: '/api/standard-responses',
    label: (r) => r.title,
    title: 'Standard responses',
    singular: 'standard response',
    columns: [
      { label: 'Title', value: (r) => r.title },
      { label: 'Text', value: (r) => r.text },
      { label: 'Workgroups', value: (r) => names(r.workgroupIds, lookups.workgroups) || 'all' },
    ],
    blank: { workgroupIds: [] },
    fields: [
      { name: 'title', label: 'Title', kind: 'text', required: true },
      {
        name: 'text',
        label: 'Text',
        kind: 'textarea',
        required: true,
        help: 'May use {{customer.name}}, {{customer.handle}} and {{agent.name}}.',
      },
      { name: 'workgroupIds', label: 'Workgroups (none: all)', kind: 'multi', options: lookups.workgroups },
    ],
    toForm: (r) => ({ title: r.title, text: r.text, workgroupIds: r.workgroupIds }),
    toBody: (v) => present({ title: v['title'], text: v['text'], workgroupIds: v['workgroupIds'] }),
  };
}
