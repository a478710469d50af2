import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { InteractionActivities, PollerActivities } from '@switchboard/activities';
import {
  acceptUpdate,
  agentReplySignal,
  assignUpdate,
  moveWaitingUpdate,
  customerMessageSignal,
  declineUpdate,
  DeliveryStatus,
  disconnectUpdate,
  InteractionState,
  InteractionType,
  offerCreatedSignal,
  Platform,
  pollerAccountChangedSignal,
  SearchAttributes,
  threadDeletedSignal,
  transferUpdate,
  wrapUpUpdate,
  type OfferCreatedSignal,
} from '@switchboard/contracts';
import { findTemporalCli } from '@switchboard/embedded';
import type { RoutingSettings } from '@switchboard/interactions';
import type { interactionWorkflow, xPollerWorkflow } from '@switchboard/workflows';
import { bundleWorkflows } from '../../scripts/workflow-bundle';

const HISTORIES = join(__dirname, '..', 'histories');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `RECORD_HISTORIES=1 npm run test:workflow` rewrites the replay corpus (`test/histories/`) from these runs: do it
 * deliberately when the workflow changes on purpose, after checking the old corpus still replays.
 */
function record(name: string, handle: WorkflowHandle, cli: string, address: string): void {
  if (!process.env['RECORD_HISTORIES']) return;
  const json = execFileSync(cli, [
    'workflow',
    'show',
    '--address',
    address,
    '-w',
    handle.workflowId,
    '--output',
    'json',
  ]);
  writeFileSync(join(HISTORIES, `${name}.json`), json);
}

/**
 * The interaction workflow alone, on a real Temporal dev server, with in-memory activities: timers, updates, signals
 * and continue-as-new, without PostgreSQL or platforms.
 */
type Call = { name: keyof (InteractionActivities & PollerActivities); input: unknown };

class FakeActivities {
  readonly calls: Call[] = [];
  settings: Partial<RoutingSettings> = {};
  failSend = new Set<string>();
  /** What each poll pass answers, in order; once exhausted the account no longer polls. */
  polls: { nextPollInSeconds: number }[] = [];
  /** What abandoning answers, in order (then yes): no when a customer message joined since the deletion. */
  abandonConfirmed: boolean[] = [];
  /** What the next assignment answers: refused, or (by default) an offer to the agent, expiring in 30 s. */
  assignRefusal: 'offline' | 'no-free-slot' | null = null;
  /** What overflowing answers: moved to the target (whose own settings follow), or refused by the row. */
  overflowMoves = true;
  /** Whether a supervisor's move of a waiting interaction finds the row still waiting. */
  moveSucceeds = true;
  overflowTarget: Partial<RoutingSettings> = {};

  build(): InteractionActivities & PollerActivities {
    const record = <T>(name: Call['name'], input: unknown, value: T): Promise<T> => {
      this.calls.push({ name, input });
      return Promise.resolve(value);
    };
    return {
      enqueueInteraction: (input) =>
        record('enqueueInteraction', input, {
          interactionId: input.interactionId,
          state: InteractionState.QUEUED,
          workgroupId: 'wg-1',
          workgroupName: 'Care',
          acceptTimeoutSeconds: 30,
          wrapUpRequired: false,
          wrapUpTimeoutSeconds: 60,
          agentId: null,
          agentName: null,
          ...this.settings,
        }),
      expireOffer: (input) => record('expireOffer', input, { expired: true }),
      declineOffer: (input) => record('declineOffer', input, { declined: true }),
      moveWaitingInteraction: (input) =>
        record('moveWaitingInteraction', input, {
          moved: this.moveSucceeds,
          settings: {
            interactionId: input.interactionId,
            state: InteractionState.QUEUED,
            workgroupId: input.toWorkgroupId ?? 'wg-1',
            workgroupName: input.toWorkgroupId ? 'Moved' : 'Care',
            acceptTimeoutSeconds: 30,
            wrapUpRequired: false,
            wrapUpTimeoutSeconds: 60,
            agentId: null,
            agentName: null,
          },
        }),
      overflowInteraction: (input) =>
        record('overflowInteraction', input, {
          moved: this.overflowMoves,
          settings: {
            interactionId: input.interactionId,
            state: InteractionState.QUEUED,
            workgroupId: this.overflowMoves ? input.toWorkgroupId : input.fromWorkgroupId,
            workgroupName: this.overflowMoves ? 'Overflow' : 'Care',
            acceptTimeoutSeconds: 30,
            wrapUpRequired: false,
            wrapUpTimeoutSeconds: 60,
            agentId: null,
            agentName: null,
            ...this.overflowTarget,
          },
        }),
      assignInteraction: (input) =>
        record(
          'assignInteraction',
          input,
          this.assignRefusal
            ? { refused: this.assignRefusal }
            : {
                offer: {
                  interactionId: input.interactionId,
                  offerId: `assigned-${input.agentId}`,
                  agentId: input.agentId,
                  agentName: input.agentId,
                  expiresAt: new Date(Date.now() + 30_000).toISOString(),
                },
              },
        ),
      connectInteraction: (input) => record('connectInteraction', input, undefined),
      transferInteraction: (input) => record('transferInteraction', input, undefined),
      disconnectInteraction: (input) => record('disconnectInteraction', input, undefined),
      completeInteraction: (input) => record('completeInteraction', input, undefined),
      sendReply: (input) => {
        // What a permanent, unforeseen failure looks like at the activity edge.
        if (this.failSend.has(input.messageId)) {
          this.calls.push({ name: 'sendReply', input });
          return Promise.reject(ApplicationFailure.nonRetryable('platform down', 'Unexpected'));
        }
        return record('sendReply', input, DeliveryStatus.SENT);
      },
      failReply: (input) => record('failReply', input, undefined),
      abandonInteraction: (input) =>
        record('abandonInteraction', input, { abandoned: this.abandonConfirmed.shift() ?? true }),
      pollXAccount: (input) => {
        const next = this.polls.shift();
        return record('pollXAccount', input, {
          active: next !== undefined,
          nextPollInSeconds: next?.nextPollInSeconds ?? 0,
          stored: 0,
        });
      },
    };
  }

  named(name: Call['name']): unknown[] {
    return this.calls.filter((call) => call.name === name).map((call) => call.input);
  }
}

describe('interactionWorkflow', () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: { code: string };
  const fake = new FakeActivities();
  let worker: Worker;
  let running: Promise<void>;
  let cli = '';
  const taskQueue = `test-${randomUUID()}`;

  beforeAll(async () => {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    cli = findTemporalCli(null) ?? '';
    if (!cli) throw new Error('the Temporal CLI is not installed (npm install installs it)');
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: cli },
        searchAttributes: Object.values(SearchAttributes),
        extraArgs: [
          '--dynamic-config-value',
          'history.timerProcessorMaxPollRPS=1000',
          '--dynamic-config-value',
          'history.transferProcessorMaxPollRPS=1000',
        ],
      },
    });
    workflowBundle = await bundleWorkflows({ logger: new DefaultLogger('WARN') });
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle,
      activities: fake.build(),
    });
    running = worker.run();
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  beforeEach(() => {
    fake.calls.length = 0;
    fake.settings = {};
    fake.polls = [];
    fake.assignRefusal = null;
    fake.overflowMoves = true;
    fake.moveSucceeds = true;
    fake.overflowTarget = {};
  });

  async function start(interactionId = randomUUID()) {
    const handle = await env.client.workflow.start<typeof interactionWorkflow>('interactionWorkflow', {
      workflowId: `interaction-test-${interactionId}`,
      taskQueue,
      args: [{ interactionId, platform: Platform.TWITTER, type: InteractionType.CONVERSATION }],
    });
    return { handle, interactionId };
  }

  function offer(interactionId: string, agentId: string, inMs: number): OfferCreatedSignal {
    return {
      interactionId,
      offerId: randomUUID(),
      agentId,
      agentName: agentId,
      expiresAt: new Date(Date.now() + inMs).toISOString(),
    };
  }

  async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`condition not met; calls: ${JSON.stringify(fake.calls)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Until the workflow has taken the offer (its `Agent` search attribute names the agent). */
  async function offeredTo(handle: WorkflowHandle, agentId: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while ((await handle.describe()).typedSearchAttributes.get(SearchAttributes.Agent) !== agentId) {
      if (Date.now() > deadline) throw new Error(`never offered to ${agentId}`);
      await pause(25);
    }
  }

  async function acceptAndConnect(handle: WorkflowHandle, interactionId: string, agentId: string) {
    const given = offer(interactionId, agentId, 30_000);
    await handle.signal(offerCreatedSignal, given);
    const snapshot = await handle.executeUpdate(acceptUpdate, {
      args: [{ interactionId, agentId, agentName: agentId, offerId: given.offerId, expiresAt: given.expiresAt }],
    });
    expect(snapshot).toMatchObject({ state: InteractionState.CONNECTED, agentId });
  }

  it('expires an offer nobody accepts, then connects, disconnects and completes with the wrap-up code', async () => {
    const { handle, interactionId } = await start();
    const first = offer(interactionId, 'agent-a', 700);
    await handle.signal(offerCreatedSignal, first);
    await until(() => fake.named('expireOffer').length === 1);
    expect(fake.named('expireOffer')[0]).toEqual({ interactionId, offerId: first.offerId });

    await expect(
      handle.executeUpdate(acceptUpdate, {
        args: [
          { interactionId, agentId: 'agent-a', agentName: 'a', offerId: first.offerId, expiresAt: first.expiresAt },
        ],
      }),
    ).rejects.toThrow();

    await acceptAndConnect(handle, interactionId, 'agent-b');
    await expect(
      handle.executeUpdate(disconnectUpdate, { args: [{ interactionId, agentId: 'agent-a' }] }),
    ).rejects.toThrow();
    expect(
      await handle.executeUpdate(disconnectUpdate, { args: [{ interactionId, agentId: 'agent-b' }] }),
    ).toMatchObject({
      state: InteractionState.WRAPUP,
    });
    expect(
      await handle.executeUpdate(wrapUpUpdate, { args: [{ interactionId, agentId: 'agent-b', code: 'resolved' }] }),
    ).toMatchObject({ state: InteractionState.COMPLETED });
    expect(await handle.result()).toEqual({ interactionId, wrapUpCode: 'resolved', reason: 'handled' });
    const described = await handle.describe();
    expect(described.typedSearchAttributes.get(SearchAttributes.InteractionState)).toBe('completed');
    expect(described.typedSearchAttributes.get(SearchAttributes.Agent)).toBe('agent-b');
    record('offer-timeout-then-handled', handle, cli, env.address);
  });

  it('accepts an offer whose signal has not arrived yet: the update carries it', async () => {
    const { handle, interactionId } = await start();
    await until(() => fake.named('enqueueInteraction').length === 1);
    const early = offer(interactionId, 'agent-c', 30_000);
    await handle.executeUpdate(acceptUpdate, {
      args: [{ interactionId, agentId: 'agent-c', agentName: 'c', offerId: early.offerId, expiresAt: early.expiresAt }],
    });
    await handle.signal(offerCreatedSignal, early);
    expect(fake.named('connectInteraction')).toEqual([{ interactionId, agentId: 'agent-c' }]);
    await handle.terminate('done');
  });

  it('completes on its own when the wrap-up time runs out, marking a required code as missed', async () => {
    fake.settings = { wrapUpRequired: true, wrapUpTimeoutSeconds: 1 };
    const { handle, interactionId } = await start();
    await acceptAndConnect(handle, interactionId, 'agent-d');
    await handle.executeUpdate(disconnectUpdate, { args: [{ interactionId, agentId: 'agent-d' }] });
    expect(await handle.result()).toEqual({ interactionId, wrapUpCode: null, reason: 'wrapup-timeout' });
    record('wrapup-timeout', handle, cli, env.address);
  });

  it('sends replies in order, one at a time, and reports one that cannot be sent', async () => {
    const { handle, interactionId } = await start();
    await acceptAndConnect(handle, interactionId, 'agent-e');
    fake.failSend.add('m2');
    for (const messageId of ['m1', 'm2', 'm3']) await handle.signal(agentReplySignal, { interactionId, messageId });
    await handle.signal(agentReplySignal, { interactionId, messageId: 'm1' });
    await until(() => fake.named('sendReply').length >= 3 && fake.named('failReply').length === 1);
    const sent = fake.named('sendReply').map((input) => (input as { messageId: string }).messageId);
    expect(sent).toEqual(['m1', 'm2', 'm3']);
    expect(fake.named('failReply')[0]).toMatchObject({ messageId: 'm2' });
    await handle.terminate('done');
  });

  it('goes back to the queue when the agent declines, and is offered to the next agent', async () => {
    const { handle, interactionId } = await start();
    const first = offer(interactionId, 'agent-a', 30_000);
    await handle.signal(offerCreatedSignal, first);
    await offeredTo(handle, 'agent-a');
    // Only the agent holding the offer may decline it, and only that offer.
    await expect(
      handle.executeUpdate(declineUpdate, { args: [{ interactionId, agentId: 'agent-b', offerId: first.offerId }] }),
    ).rejects.toThrow();
    await expect(
      handle.executeUpdate(declineUpdate, { args: [{ interactionId, agentId: 'agent-a', offerId: 'another' }] }),
    ).rejects.toThrow();
    expect(
      await handle.executeUpdate(declineUpdate, {
        args: [{ interactionId, agentId: 'agent-a', offerId: first.offerId }],
      }),
    ).toMatchObject({ state: InteractionState.QUEUED, agentId: null });
    expect(fake.named('declineOffer')).toEqual([{ interactionId, offerId: first.offerId, agentId: 'agent-a' }]);
    // A declined offer is over: neither accepted later, nor expired by its timer.
    await expect(
      handle.executeUpdate(acceptUpdate, {
        args: [
          { interactionId, agentId: 'agent-a', agentName: 'a', offerId: first.offerId, expiresAt: first.expiresAt },
        ],
      }),
    ).rejects.toThrow();
    await acceptAndConnect(handle, interactionId, 'agent-b');
    expect(fake.named('expireOffer')).toEqual([]);
    await handle.executeUpdate(disconnectUpdate, { args: [{ interactionId, agentId: 'agent-b' }] });
    await handle.executeUpdate(wrapUpUpdate, { args: [{ interactionId, agentId: 'agent-b', code: null }] });
    expect(await handle.result()).toMatchObject({ reason: 'handled' });
    record('declined-then-handled', handle, cli, env.address);
  });

  it('declines an offer whose signal is still on its way, and a late signal does not bring it back', async () => {
    const { handle, interactionId } = await start();
    await until(() => fake.named('enqueueInteraction').length === 1);
    const early = offer(interactionId, 'agent-r', 30_000);
    await handle.executeUpdate(declineUpdate, {
      args: [{ interactionId, agentId: 'agent-r', offerId: early.offerId }],
    });
    expect(fake.named('declineOffer')).toEqual([{ interactionId, offerId: early.offerId, agentId: 'agent-r' }]);
    await handle.signal(offerCreatedSignal, early);
    await expect(
      handle.executeUpdate(acceptUpdate, {
        args: [
          { interactionId, agentId: 'agent-r', agentName: 'r', offerId: early.offerId, expiresAt: early.expiresAt },
        ],
      }),
    ).rejects.toThrow();
    await acceptAndConnect(handle, interactionId, 'agent-s');
    expect(fake.named('expireOffer')).toEqual([]);
    await handle.terminate('done');
  });

  it('overflows only once a decline past the overflow time has been recorded', async () => {
    fake.settings = { overflow: { afterSeconds: 1, workgroupId: 'wg-2' } };
    const { handle, interactionId } = await start();
    const held = offer(interactionId, 'agent-t', 30_000);
    await handle.signal(offerCreatedSignal, held);
    await pause(1_300); // past the overflow time, but offered: it waits for the answer
    expect(fake.named('overflowInteraction')).toEqual([]);
    await handle.executeUpdate(declineUpdate, { args: [{ interactionId, agentId: 'agent-t', offerId: held.offerId }] });
    await until(() => fake.named('overflowInteraction').length === 1, 5_000);
    const order = fake.calls.map((call) => call.name).filter((name) => name !== 'enqueueInteraction');
    expect(order).toEqual(['declineOffer', 'overflowInteraction']);
    await handle.terminate('done');
  });

  it("offers a waiting interaction to the supervisor's choice, withdrawing another agent's offer", async () => {
    const { handle, interactionId } = await start();
    await until(() => fake.named('enqueueInteraction').length === 1);
    // Queued, nobody offered: the assignment's offer is the one to accept.
    expect(
      await handle.executeUpdate(assignUpdate, { args: [{ interactionId, agentId: 'agent-x', supervisorId: 'sup' }] }),
    ).toMatchObject({ interactionId });
    expect(fake.named('assignInteraction')).toEqual([
      { interactionId, agentId: 'agent-x', supervisorId: 'sup', withdrawOfferId: null },
    ]);
    // Offered to agent-x now: reassigning to agent-y withdraws it.
    await handle.executeUpdate(assignUpdate, { args: [{ interactionId, agentId: 'agent-y', supervisorId: 'sup' }] });
    expect(fake.named('assignInteraction')[1]).toEqual({
      interactionId,
      agentId: 'agent-y',
      supervisorId: 'sup',
      withdrawOfferId: 'assigned-agent-x',
    });
    const acceptAs = (agentId: string) =>
      handle.executeUpdate(acceptUpdate, {
        args: [
          {
            interactionId,
            agentId,
            agentName: agentId,
            offerId: `assigned-${agentId}`,
            expiresAt: new Date(Date.now() + 30_000).toISOString(),
          },
        ],
      });
    await expect(acceptAs('agent-x')).rejects.toThrow();
    // A refused assignment changes nothing: agent-y's offer stands.
    fake.assignRefusal = 'no-free-slot';
    await expect(
      handle.executeUpdate(assignUpdate, { args: [{ interactionId, agentId: 'agent-z', supervisorId: 'sup' }] }),
    ).rejects.toMatchObject({
      cause: {
        type: 'AGENT_CANNOT_TAKE',
        message: 'the agent has no free slot for this type of interaction (no-free-slot)',
      },
    });
    expect(await acceptAs('agent-y')).toMatchObject({ state: InteractionState.CONNECTED, agentId: 'agent-y' });
    // Once connected, nothing is assigned any more.
    fake.assignRefusal = null;
    await expect(
      handle.executeUpdate(assignUpdate, { args: [{ interactionId, agentId: 'agent-z', supervisorId: 'sup' }] }),
    ).rejects.toThrow();
    expect(fake.named('assignInteraction')).toHaveLength(3);
    await handle.executeUpdate(disconnectUpdate, { args: [{ interactionId, agentId: 'agent-y' }] });
    await handle.executeUpdate(wrapUpUpdate, { args: [{ interactionId, agentId: 'agent-y', code: null }] });
    expect(await handle.result()).toMatchObject({ reason: 'handled' });
    expect(fake.named('expireOffer')).toEqual([]);
    record('assigned', handle, cli, env.address);
  });

  it('overflows to the next workgroup after its time in the queue, never back where it waited', async () => {
    fake.settings = { overflow: { afterSeconds: 1, workgroupId: 'wg-2' } };
    // The overflow workgroup overflows back: that would be a ping-pong, so it stays there.
    fake.overflowTarget = { overflow: { afterSeconds: 1, workgroupId: 'wg-1' } };
    const { handle, interactionId } = await start();
    await until(() => fake.named('overflowInteraction').length === 1, 5_000);
    expect(fake.named('overflowInteraction')).toEqual([
      { interactionId, fromWorkgroupId: 'wg-1', toWorkgroupId: 'wg-2' },
    ]);
    await pause(1_800); // longer than the target's own overflow time
    expect(fake.named('overflowInteraction')).toHaveLength(1);
    const described = await handle.describe();
    expect(described.typedSearchAttributes.get(SearchAttributes.Workgroup)).toBe('Overflow');
    await acceptAndConnect(handle, interactionId, 'agent-o');
    await handle.executeUpdate(disconnectUpdate, { args: [{ interactionId, agentId: 'agent-o' }] });
    await handle.executeUpdate(wrapUpUpdate, { args: [{ interactionId, agentId: 'agent-o', code: null }] });
    expect(await handle.result()).toMatchObject({ reason: 'handled' });
    record('overflowed', handle, cli, env.address);
  });

  it('does not overflow while offered, and tries once when the row refuses', async () => {
    fake.settings = { overflow: { afterSeconds: 1, workgroupId: 'wg-2' } };
    fake.overflowMoves = false;
    const { handle, interactionId } = await start();
    await until(() => fake.named('enqueueInteraction').length === 1);
    // Offered before the overflow time: it stays with that offer.
    const held = offer(interactionId, 'agent-p', 1_800);
    await handle.signal(offerCreatedSignal, held);
    // Back in the queue past its time: one attempt at once (only after the offer ran out), refused, and no other
    // until something changes.
    await until(() => fake.named('overflowInteraction').length === 1, 5_000);
    const order = fake.calls.map((call) => call.name).filter((name) => name !== 'enqueueInteraction');
    expect(order).toEqual(['expireOffer', 'overflowInteraction']);
    await pause(1_500); // longer than the overflow time again
    expect(fake.named('overflowInteraction')).toHaveLength(1);
    await acceptAndConnect(handle, interactionId, 'agent-q');
    await handle.terminate('done');
  });

  it("moves a waiting interaction to a supervisor's choice of queue, or keeps its offer when the row refuses", async () => {
    // The first workgroup's overflow no longer applies once it was moved elsewhere.
    fake.settings = { overflow: { afterSeconds: 1, workgroupId: 'wg-2' } };
    const { handle, interactionId } = await start();
    const held = offer(interactionId, 'agent-u', 30_000);
    await handle.signal(offerCreatedSignal, held);
    await offeredTo(handle, 'agent-u');
    const move = (toWorkgroupId: string) =>
      handle.executeUpdate(moveWaitingUpdate, {
        args: [{ interactionId, agentId: 'sup', toWorkgroupId, toAgentId: null }],
      });
    // Refused by the row: agent-u's offer stands and can still be accepted later.
    fake.moveSucceeds = false;
    await expect(move('wg-3')).rejects.toMatchObject({ cause: { type: 'NOT_WAITING' } });
    fake.moveSucceeds = true;
    expect(await move('wg-3')).toMatchObject({ state: InteractionState.QUEUED, agentId: null });
    expect(fake.named('moveWaitingInteraction')[1]).toEqual({
      interactionId,
      toWorkgroupId: 'wg-3',
      toAgentId: null,
      supervisorId: 'sup',
      withdrawOfferId: held.offerId,
      moveId: expect.any(String) as string,
    });
    const described = await handle.describe();
    expect(described.typedSearchAttributes.get(SearchAttributes.Workgroup)).toBe('Moved');
    expect(described.typedSearchAttributes.get(SearchAttributes.InteractionState)).toBe('queued');
    await expect(
      handle.executeUpdate(acceptUpdate, {
        args: [{ interactionId, agentId: 'agent-u', agentName: 'u', offerId: held.offerId, expiresAt: held.expiresAt }],
      }),
    ).rejects.toThrow();
    // The moved-to queue has no overflow: it waits there for its next offer.
    await pause(1_300); // past the first workgroup's overflow time
    expect(fake.named('overflowInteraction')).toEqual([]);
    await acceptAndConnect(handle, interactionId, 'agent-v');
    await expect(move('wg-4')).rejects.toThrow();
    await handle.executeUpdate(disconnectUpdate, { args: [{ interactionId, agentId: 'agent-v' }] });
    await handle.executeUpdate(wrapUpUpdate, { args: [{ interactionId, agentId: 'agent-v', code: null }] });
    expect(await handle.result()).toMatchObject({ reason: 'handled' });
    record('moved-while-waiting', handle, cli, env.address);
  });

  it('goes back to the queue on transfer and is offered again', async () => {
    const { handle, interactionId } = await start();
    await acceptAndConnect(handle, interactionId, 'agent-f');
    expect(
      await handle.executeUpdate(transferUpdate, {
        args: [{ interactionId, agentId: 'agent-f', toWorkgroupId: 'wg-2', toAgentId: null }],
      }),
    ).toMatchObject({ state: InteractionState.QUEUED, agentId: null });
    await until(() => fake.named('enqueueInteraction').length === 2);
    await acceptAndConnect(handle, interactionId, 'agent-g');
    await handle.executeUpdate(disconnectUpdate, { args: [{ interactionId, agentId: 'agent-g' }] });
    await handle.executeUpdate(wrapUpUpdate, { args: [{ interactionId, agentId: 'agent-g', code: 'moved' }] });
    await handle.result();
    record('transferred', handle, cli, env.address);
  });

  it('ends as abandoned when the thread is deleted while it is offered, refusing a late accept', async () => {
    const { handle, interactionId } = await start();
    const given = offer(interactionId, 'agent-i', 30_000);
    await handle.signal(offerCreatedSignal, given);
    await handle.signal(threadDeletedSignal, { interactionId });
    expect(await handle.result()).toEqual({ interactionId, wrapUpCode: null, reason: 'abandoned' });
    expect(fake.named('abandonInteraction')).toEqual([{ interactionId, reason: 'thread-deleted' }]);
    expect(fake.named('connectInteraction')).toEqual([]);
    expect(fake.named('completeInteraction')).toEqual([]);
    record('abandoned-while-offered', handle, cli, env.address);
  });

  it('ends as abandoned when the thread is deleted while queued; once connected a deletion changes nothing', async () => {
    const queued = await start();
    await until(() => fake.named('enqueueInteraction').length === 1);
    await queued.handle.signal(threadDeletedSignal, { interactionId: queued.interactionId });
    expect(await queued.handle.result()).toMatchObject({ reason: 'abandoned' });

    const connected = await start();
    await acceptAndConnect(connected.handle, connected.interactionId, 'agent-j');
    await connected.handle.signal(threadDeletedSignal, { interactionId: connected.interactionId });
    const agent = { interactionId: connected.interactionId, agentId: 'agent-j' };
    await connected.handle.executeUpdate(disconnectUpdate, { args: [agent] });
    await connected.handle.executeUpdate(wrapUpUpdate, { args: [{ ...agent, code: 'done' }] });
    expect(await connected.handle.result()).toMatchObject({ reason: 'handled', wrapUpCode: 'done' });
    expect(fake.named('abandonInteraction')).toEqual([
      { interactionId: queued.interactionId, reason: 'thread-deleted' },
    ]);
  });

  it('waits on when abandoning finds the customer wrote again, and can still be accepted', async () => {
    fake.abandonConfirmed = [false];
    const { handle, interactionId } = await start();
    await until(() => fake.named('enqueueInteraction').length === 1);
    await handle.signal(threadDeletedSignal, { interactionId });
    await until(() => fake.named('abandonInteraction').length === 1);
    // Until the workflow has the activity's answer it refuses accepts (it is closing); then it waits on.
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await acceptAndConnect(handle, interactionId, 'agent-k');
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await handle.executeUpdate(disconnectUpdate, { args: [{ interactionId, agentId: 'agent-k' }] });
    await handle.executeUpdate(wrapUpUpdate, { args: [{ interactionId, agentId: 'agent-k', code: null }] });
    expect(await handle.result()).toMatchObject({ reason: 'handled' });
  });

  it('polls an X account on the schedule its activity gives, wakes on a change, and ends when it stops polling', async () => {
    fake.polls = [{ nextPollInSeconds: 1 }, { nextPollInSeconds: 3600 }];
    const handle = await env.client.workflow.start<typeof xPollerWorkflow>('xPollerWorkflow', {
      workflowId: `x-poller-test-${randomUUID()}`,
      taskQueue,
      args: [{ accountId: 'account-1' }],
    });
    await until(() => fake.named('pollXAccount').length === 2);
    // The second pass asked for an hour's wait (capped at a minute); the account changing cuts it short.
    await handle.signal(pollerAccountChangedSignal);
    await handle.result();
    expect(fake.named('pollXAccount')).toEqual([
      { accountId: 'account-1' },
      { accountId: 'account-1' },
      { accountId: 'account-1' },
    ]);
    record('x-poller', handle, cli, env.address);
  });

  it('continues as the thread’s next interaction when a message for it arrives before the end', async () => {
    const { handle, interactionId } = await start();
    await acceptAndConnect(handle, interactionId, 'agent-h');
    const next = randomUUID();
    await handle.signal(customerMessageSignal, { interactionId: next, messageId: 'late' });
    await handle.executeUpdate(disconnectUpdate, { args: [{ interactionId, agentId: 'agent-h' }] });
    await handle.executeUpdate(wrapUpUpdate, { args: [{ interactionId, agentId: 'agent-h', code: null }] });
    await until(() =>
      fake.named('enqueueInteraction').some((input) => (input as { interactionId: string }).interactionId === next),
    );
    const latest = await env.client.workflow.getHandle(handle.workflowId).describe();
    expect(latest.runId).not.toBe(handle.firstExecutionRunId);
    expect(latest.status.name).toBe('RUNNING');
    await env.client.workflow.getHandle(handle.workflowId).terminate('done');
  });
});
