import { SIMULATOR_DEFAULTS } from '../../apps/simulator/simulator';
import { ApiClient } from './api-client';

/** The simulator's demo Page, as `POST /api/accounts` takes it. */
export function facebookAccountBody(name = 'Acme Care') {
  const page = SIMULATOR_DEFAULTS.facebook;
  return {
    platform: 'facebook',
    name,
    pageId: page.pageId,
    pageAccessToken: page.pageAccessToken,
    appSecret: page.appSecret,
    verifyToken: page.verifyToken,
  };
}

/** The simulator's demo X account, as `POST /api/accounts` takes it. */
export function twitterAccountBody(name = 'Acme on X') {
  const account = SIMULATOR_DEFAULTS.twitter;
  return {
    platform: 'twitter',
    name,
    userId: account.userId,
    handle: account.handle,
    consumerKey: account.consumerKey,
    consumerSecret: account.consumerSecret,
    accessToken: account.accessToken,
    accessTokenSecret: account.accessTokenSecret,
    ingest: 'webhook',
  };
}

/** Creates an agent (password `<username>-password`) and returns its logged-in API client. */
export async function createAgent(
  admin: ApiClient,
  username: string,
  workgroupIds: string[],
  capacity?: { conversation: number; directMessage: number },
): Promise<ApiClient> {
  await admin.create('/api/users', {
    username,
    password: `${username}-password`,
    displayName: username[0]!.toUpperCase() + username.slice(1),
    roles: ['agent'],
    workgroupIds,
    ...(capacity ? { capacity } : {}),
  });
  return ApiClient.login(admin.baseUrl, username, `${username}-password`);
}

/** A channel sending both public and private messages of one account that match `any` to one workgroup. */
export async function createChannel(
  admin: ApiClient,
  options: { accountId: string; workgroupId: string; name?: string; any?: string[]; priority?: number },
): Promise<{ id: string }> {
  return admin.create<{ id: string }>('/api/channels', {
    name: options.name ?? 'care',
    accountIds: [options.accountId],
    keywords: { any: options.any ?? ['order'] },
    publicWorkgroupId: options.workgroupId,
    privateWorkgroupId: options.workgroupId,
    ...(options.priority === undefined ? {} : { priority: options.priority }),
  });
}
