import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Client as PgClient } from 'pg';
import { repoRoot } from '@switchboard/config';
import { SIMULATOR_DEFAULTS } from '../apps/simulator/simulator';
import { metaSignature256, xWebhookSignature } from '../apps/simulator/signing';
import { toMetaJson } from '../apps/simulator/json-text';
import { ApiClient } from '../test/support/api-client';
import { facebookAccountBody, twitterAccountBody } from '../test/support/builders';
import { ADMIN_PASSWORD, startStack, waitFor } from '../test/support/stack';
import { percentileSummary } from './stats';

/**
 * `npm run bench:ingest`: webhooks at a steady rate against the real stack (open loop: each request leaves on
 * schedule whatever the previous ones did, so a slow answer cannot hide the queue behind it). Measures the
 * acknowledgement latency, the rate sustained, and then checks that every distinct event is stored exactly once and
 * routed.
 *
 * The mix is what a busy brand receives: new comments and mentions (a few have a keyword its channel routes, the
 * rest are filtered), Messenger and X DMs from returning customers (follow-ups join their open thread), and one
 * delivery in ten a platform's redelivery of an event already sent.
 */
const RATE = Number(process.env['BENCH_RATE'] ?? 200);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 30);
/**
 * Seconds at the same rate before measuring: a cold gateway (JIT, pool connections, plans) queues its first
 * seconds' requests; that start is reported on its own, and every event of it is checked for storage like the rest.
 */
const WARMUP_SECONDS = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 5);
/**
 * Share of new threads whose words the channel routes (the rest are filtered). 5 % of this mix is about 7 new queued
 * interactions a second (25,000 an hour), a third of what Temporal carries on this 2-core machine.
 */
const ROUTED_SHARE = Number(process.env['BENCH_ROUTED_SHARE'] ?? 0.05);
/** `BENCH_ROUTING=0`: no channel, so nothing becomes an interaction: the way in alone. */
const ROUTING = process.env['BENCH_ROUTING'] !== '0';
const fb = SIMULATOR_DEFAULTS.facebook;
const x = SIMULATOR_DEFAULTS.twitter;

interface Delivery {
  platform: 'facebook' | 'twitter';
  body: string;
  /** The platform id of the message it carries. */
  id: string;
}

let serial = 0;
const nextId = (prefix: string) => `${prefix}${String(Date.now())}${String((serial += 1)).padStart(6, '0')}`;
const words = (routed: boolean) => (routed ? 'I need a refund for order 42' : 'love the new store design');

function comment(routed: boolean): Delivery {
  const postId = `${fb.pageId}_${nextId('7')}`;
  const commentId = `${postId.split('_')[1]}_${nextId('8')}`;
  const now = Math.floor(Date.now() / 1000);
  const body = toMetaJson({
    object: 'page',
    entry: [
      {
        id: fb.pageId,
        time: now,
        changes: [
          {
            field: 'feed',
            value: {
              from: { id: nextId('3'), name: 'Bench Customer' },
              item: 'comment',
              verb: 'add',
              post_id: postId,
              comment_id: commentId,
              parent_id: postId,
              created_time: now,
              message: words(routed),
            },
          },
        ],
      },
    ],
  });
  return { platform: 'facebook', body, id: commentId };
}

function messenger(psid: string, routed: boolean): Delivery {
  const mid = `m_${nextId('')}`;
  const body = toMetaJson({
    object: 'page',
    entry: [
      {
        id: fb.pageId,
        time: Date.now(),
        messaging: [
          {
            sender: { id: psid },
            recipient: { id: fb.pageId },
            timestamp: Date.now(),
            message: { mid, text: words(routed) },
          },
        ],
      },
    ],
  });
  return { platform: 'facebook', body, id: mid };
}

function mention(routed: boolean): Delivery {
  const id = nextId('19');
  const author = nextId('18');
  const body = JSON.stringify({
    for_user_id: x.userId,
    tweet_create_events: [
      {
        id_str: id,
        created_at: new Date().toUTCString(),
        timestamp_ms: String(Date.now()),
        text: `@${x.handle} ${words(routed)}`,
        in_reply_to_status_id_str: null,
        user: { id_str: author, screen_name: `bench_${author.slice(-6)}`, name: 'Bench', followers_count: 12 },
        entities: { user_mentions: [{ screen_name: x.handle, id_str: x.userId }] },
      },
    ],
  });
  return { platform: 'twitter', body, id };
}

function dm(sender: string, routed: boolean): Delivery {
  const id = nextId('17');
  const body = JSON.stringify({
    for_user_id: x.userId,
    direct_message_events: [
      {
        type: 'message_create',
        id,
        created_timestamp: String(Date.now()),
        message_create: {
          target: { recipient_id: x.userId },
          sender_id: sender,
          message_data: { text: words(routed) },
        },
      },
    ],
    users: { [sender]: { id: sender, screen_name: `dm_${sender.slice(-6)}`, name: 'Bench DM', followers_count: 3 } },
  });
  return { platform: 'twitter', body, id };
}

/** The next delivery of the mix; returning customers are drawn from small pools so their threads repeat. */
function nextDelivery(sent: Delivery[], psids: string[], dmSenders: string[]): Delivery {
  const roll = Math.random();
  const routed = Math.random() < ROUTED_SHARE;
  const pick = <T>(pool: T[]) => pool[Math.floor(Math.random() * pool.length)] as T;
  if (roll < 0.1 && sent.length > 0) return pick(sent.slice(-200));
  if (roll < 0.45) return comment(routed);
  if (roll < 0.65) return messenger(pick(psids), routed);
  if (roll < 0.9) return mention(routed);
  return dm(pick(dmSenders), routed);
}

/** Signed ahead of the run, so that the load generator spends its time sending. */
function signed(delivery: Delivery): Delivery & { headers: Record<string, string> } {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (delivery.platform === 'facebook') headers['x-hub-signature-256'] = metaSignature256(fb.appSecret, delivery.body);
  else headers['x-twitter-webhooks-signature'] = xWebhookSignature(x.consumerSecret, delivery.body);
  return { ...delivery, headers };
}

/** As a platform does: a delivery that got no answer (connection reset, refused) is sent again, up to 3 times. */
async function deliver(
  baseUrl: string,
  delivery: ReturnType<typeof signed>,
): Promise<{ status: number; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { status: await post(baseUrl, delivery), attempts: attempt };
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** node:http with a keep-alive pool: the lightest client, so the load generator takes little of the 2 cores. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(baseUrl: string, delivery: ReturnType<typeof signed>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${baseUrl}/webhooks/${delivery.platform}`,
      { method: 'POST', agent, headers: { ...delivery.headers, 'content-length': Buffer.byteLength(delivery.body) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(delivery.body);
  });
}

async function main(): Promise<void> {
  const stack = await startStack({ LOG_LEVEL: 'error' });
  const db = new PgClient({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    const admin = await ApiClient.login(stack.baseUrl, 'admin', ADMIN_PASSWORD);
    const accounts = [
      (await admin.create('/api/accounts', facebookAccountBody('Bench Page'))).id,
      (await admin.create('/api/accounts', twitterAccountBody('Bench X'))).id,
    ];
    const workgroup = await admin.create('/api/workgroups', { name: 'Bench', acceptTimeoutSeconds: 600 });
    if (ROUTING) {
      await admin.create('/api/channels', {
        name: 'bench',
        accountIds: accounts,
        keywords: { any: ['refund', 'order'] },
        publicWorkgroupId: workgroup.id,
        privateWorkgroupId: workgroup.id,
      });
    }

    const psids = Array.from({ length: 40 }, () => nextId('4'));
    const dmSenders = Array.from({ length: 20 }, () => nextId('16'));
    const sent: Delivery[] = [];
    for (let i = 0; i < RATE * (WARMUP_SECONDS + SECONDS); i++) sent.push(nextDelivery(sent, psids, dmSenders));
    const planned = sent.map(signed);
    const ackMs: number[] = [];
    const warmupAckMs: number[] = [];
    const warmup = RATE * WARMUP_SECONDS;
    let warmMetrics: Promise<string> = Promise.resolve('');
    const sendLagMs: number[] = [];
    const acknowledged = new Set<string>();
    let retried = 0;
    const statuses = new Map<number, number>();
    const total = planned.length;
    const interval = 1000 / RATE;
    // The load generator's own delays would count as the gateway's: measured, to tell them apart.
    const clientLag = monitorEventLoopDelay({ resolution: 5 });
    clientLag.enable();
    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      if (i === warmup) warmMetrics = fetch(`${stack.baseUrl}/metrics`).then((r) => r.text());
      sendLagMs.push(performance.now() - due);
      inFlight.push(
        deliver(stack.baseUrl, planned[i]!).then(({ status, attempts }) => {
          (i < warmup ? warmupAckMs : ackMs).push(performance.now() - due);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (attempts > 1) retried += 1;
          if (status === 200) acknowledged.add(planned[i]!.id);
        }),
      );
    }
    await Promise.all(inFlight);
    clientLag.disable();
    agent.destroy();
    const loadMs = performance.now() - started;

    // What was acknowledged must be stored; what was not, a platform would deliver again.
    const expected = acknowledged;
    const stored = async () =>
      Number(
        (
          await db.query<{ n: string }>(
            `SELECT count(*) AS n FROM messages WHERE direction = 'inbound' AND platform_message_id = ANY($1)`,
            [[...expected]],
          )
        ).rows[0]?.n,
      );
    const storedCount = await stored();
    const routedAt = performance.now();
    await waitFor(
      async () =>
        Number(
          (await db.query<{ n: string }>('SELECT count(*) AS n FROM messages WHERE routed_at IS NULL')).rows[0]?.n,
        ) === 0,
      300_000,
    );
    const drainMs = performance.now() - routedAt;
    const interactions = (
      await db.query<{ state: string; n: string }>('SELECT state, count(*) AS n FROM interactions GROUP BY state')
    ).rows;
    const doubled = Number(
      (
        await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM (SELECT account_id, conversation_key FROM interactions
             WHERE state IN ('queued','offered','connected','wrapup') GROUP BY 1, 2 HAVING count(*) > 1) d`,
        )
      ).rows[0]?.n,
    );

    // The gateway's own view (controller in → answer out): what the client sees beyond it is queueing for the CPU.
    const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    const afterWarmup = await warmMetrics;
    /** A histogram's cumulative buckets over the measured part of the run (end minus the end of the warm-up). */
    const buckets = (name: string) => {
      const counts: Record<string, number> = {};
      const add = (text: string, sign: number) => {
        const pattern = new RegExp(`${name}_bucket\\{le="([^"]+)",platform="[a-z]+"\\} (\\d+)`, 'g');
        for (const match of text.matchAll(pattern)) {
          counts[`le ${match[1]!} s`] = (counts[`le ${match[1]!} s`] ?? 0) + sign * Number(match[2]);
        }
      };
      add(afterWarmup, -1);
      add(metrics, 1);
      return counts;
    };
    const serverAckBuckets = buckets('switchboard_webhook_ack_seconds');
    const serverHttpBuckets = buckets('switchboard_webhook_http_seconds');
    /** The bucket bound (ms) under which this share of requests fell, from a cumulative Prometheus histogram. */
    const bound = (counts: Record<string, number>, p: number): string => {
      const total = counts['le +Inf s'] ?? 0;
      for (const [label, count] of Object.entries(counts)) {
        if (count >= total * p) return label === 'le +Inf s' ? '> 2500' : `<= ${Number(label.split(' ')[1]) * 1000}`;
      }
      return 'n/a';
    };

    const report = {
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      targetRate: RATE,
      routing: ROUTING,
      routedShareOfNewThreads: ROUTING ? ROUTED_SHARE : 0,
      seconds: SECONDS,
      deliveries: sent.length,
      distinctEvents: new Set(sent.map((d) => d.id)).size,
      acknowledgedDistinct: expected.size,
      retriedAfterConnectionError: retried,
      statuses: Object.fromEntries(statuses),
      sustainedRate: +(sent.length / (loadMs / 1000)).toFixed(1),
      warmupSeconds: WARMUP_SECONDS,
      warmupAckMs: warmup > 0 ? percentileSummary(warmupAckMs) : null,
      ackMs: percentileSummary(ackMs),
      loadGeneratorSendLagMs: percentileSummary(sendLagMs),
      serverAckBuckets,
      serverHttpBuckets,
      serverHttpMs: {
        p50: bound(serverHttpBuckets, 0.5),
        p95: bound(serverHttpBuckets, 0.95),
        p99: bound(serverHttpBuckets, 0.99),
      },
      loadGeneratorEventLoopDelayMs: {
        p50: +(clientLag.percentile(50) / 1e6).toFixed(1),
        p99: +(clientLag.percentile(99) / 1e6).toFixed(1),
        max: +(clientLag.max / 1e6).toFixed(1),
      },
      storedOnce: storedCount,
      lost: expected.size - storedCount,
      openInteractionsPerThreadAboveOne: doubled,
      routingDrainMsAfterLoad: Math.round(drainMs),
      interactions: Object.fromEntries(interactions.map((row) => [row.state, Number(row.n)])),
    };
    const dir = join(repoRoot(), 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ingest.json'), JSON.stringify(report, null, 2) + '\n');
    console.log(JSON.stringify(report, null, 2));
    if (report.lost !== 0 || doubled !== 0 || (statuses.get(200) ?? 0) !== sent.length) process.exitCode = 1;
  } finally {
    await db.end();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
