import { ApiClient } from '../test/support/api-client';
import { createAgent, facebookAccountBody } from '../test/support/builders';
import { ADMIN_PASSWORD, type Stack } from '../test/support/stack';

/**
 * What `npm run bench` and `npm run bench:web` measure against: the simulator's Page routed (no keywords) to one
 * workgroup with a slow accept timeout, a wrap-up code, and one agent, `bench-agent`, who can hold 50 conversations.
 */
export async function configureBench(stack: Stack): Promise<{ agent: ApiClient }> {
  const admin = await ApiClient.login(stack.baseUrl, 'admin', ADMIN_PASSWORD);
  const account = await admin.create('/api/accounts', facebookAccountBody('Bench'));
  const workgroup = await admin.create('/api/workgroups', { name: 'Bench', acceptTimeoutSeconds: 600 });
  await admin.create('/api/channels', { name: 'bench', accountIds: [account.id], publicWorkgroupId: workgroup.id });
  await admin.create('/api/wrapup-codes', { code: 'bench', label: 'Bench' });
  const agent = await createAgent(admin, 'bench-agent', [workgroup.id], { conversation: 50, directMessage: 0 });
  return { agent };
}
