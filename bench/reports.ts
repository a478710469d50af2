import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client as PgClient } from 'pg';
import QueryStream from 'pg-query-stream';
import { repoRoot } from '@switchboard/config';
import { reportSpec } from '@switchboard/reporting';
import { ApiClient } from '../test/support/api-client';
import { ADMIN_PASSWORD, startStack } from '../test/support/stack';
import { configure, DAYS, loadHistory } from './report-history';
import { percentileSummary } from './stats';

/**
 * `npm run bench:reports`: a million interactions with their events over 90 days, loaded straight into PostgreSQL,
 * then the supervisor's reads against the real gateway, each beside a baseline measured in the same run:
 * - real-time statistics, 50 calls, before the load (no history) and after it: the ratio shows they do not read
 *   history;
 * - a one-month `workgroups` report by day, against the same figures computed from the raw event log (what the
 *   segments spare);
 * - a one-month `interactions` CSV export through the gateway, against reading the same rows straight from a
 *   database cursor, and the gateway's memory while it streams.
 */
const CALLS = 50;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

async function realtimeSample(api: ApiClient, path = '/api/stats/realtime', calls = CALLS): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const { ms, value } = await timed(() => api.get(path));
    if (value.status !== 200) throw new Error(`stats answered ${value.status}`);
    times.push(ms);
    // Past the service's 200 ms reuse window: every call computes afresh.
    await new Promise((r) => setTimeout(r, 210));
  }
  return times;
}

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) * 1024;
}

/** The `workgroups` figures the way one would get them without segments: from the event log, paired per interaction. */
const NAIVE_WORKGROUPS = `
  WITH per AS (
    SELECT e.interaction_id,
           (array_agg(e.workgroup_id) FILTER (WHERE e.type = 'queued'))[1] AS wg,
           min(e.at) FILTER (WHERE e.type = 'queued') AS queued,
           min(e.at) FILTER (WHERE e.type = 'connected') AS connected,
           min(e.at) FILTER (WHERE e.type = 'abandoned') AS abandoned,
           min(e.at) FILTER (WHERE e.type = 'disconnected') AS disconnected
      FROM interaction_events e
     WHERE e.at >= $1 AND e.at < $2 AND e.type IN ('queued', 'connected', 'abandoned', 'disconnected')
     GROUP BY e.interaction_id)
  SELECT date_trunc('day', queued, $3) AS day, wg, count(*) AS offered, count(connected) AS answered,
         count(abandoned) AS abandoned, avg(extract(epoch FROM connected - queued)) AS asa,
         avg(extract(epoch FROM disconnected - connected)) AS aht
    FROM per WHERE queued IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`;

async function main(): Promise<void> {
  const stack = await startStack({ LOG_LEVEL: 'error' });
  const db = new PgClient({ connectionString: stack.databaseUrl });
  const second = new PgClient({ connectionString: stack.databaseUrl });
  await db.connect();
  await second.connect();
  try {
    const admin = await ApiClient.login(stack.baseUrl, 'admin', ADMIN_PASSWORD);
    const ids = await configure(admin);

    await realtimeSample(admin); // warm-up: JIT, plans, pool
    const realtimeEmpty = await realtimeSample(admin);
    const TREND = '/api/stats/trend?minutes=60';
    await realtimeSample(admin, TREND, 3);
    const trendEmpty = await realtimeSample(admin, TREND, 10);

    const loadSeconds = await loadHistory(db, second, ids);
    const counts = (
      await db.query<{ interactions: string; events: string }>(
        'SELECT (SELECT count(*) FROM interactions) AS interactions, (SELECT count(*) FROM interaction_events) AS events',
      )
    ).rows[0];

    await realtimeSample(admin);
    const realtimeLoaded = await realtimeSample(admin);
    await realtimeSample(admin, TREND, 3);
    const trendLoaded = await realtimeSample(admin, TREND, 10);

    const to = new Date();
    const from = new Date(to.getTime() - 30 * 86_400_000);
    const range = `from=${from.toISOString()}&to=${to.toISOString()}`;
    const report = async () => {
      const { ms, value } = await timed(() => admin.get<unknown[]>(`/api/reports/workgroups?${range}&interval=day`));
      if (value.status !== 200) throw new Error(`workgroups report answered ${value.status}`);
      return { ms, rows: value.body.length };
    };
    await report();
    const reportRuns = [await report(), await report(), await report(), await report(), await report()];
    const otherReports: Record<string, number> = {};
    for (const [name, path] of [
      ['workgroupsMonthBy15mMs', `workgroups?${range}&interval=15m`],
      ['agentsMonthByDayMs', `agents?${range}&interval=day`],
      ['wrapUpCodesMonthByDayMs', `wrapup-codes?${range}&interval=day`],
    ] as const) {
      await admin.get(`/api/reports/${path}`);
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) runs.push((await timed(() => admin.get(`/api/reports/${path}`))).ms);
      otherReports[name] = Math.round([...runs].sort((a, b) => a - b)[1] as number);
    }
    const naive = async () => (await timed(() => db.query(NAIVE_WORKGROUPS, [from, to, 'UTC']))).ms;
    await naive();
    const naiveRuns = [await naive(), await naive(), await naive()];

    // The CSV export through the gateway, with the gateway's memory sampled as it streams.
    const gatewayPid = stack.pidOf('gateway');
    const rssBefore = rssBytes(gatewayPid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssBytes(gatewayPid))), 50);
    const csv = await timed(async () => {
      const response = await fetch(`${stack.baseUrl}/api/reports/interactions?${range}&format=csv`, {
        headers: { authorization: `Bearer ${admin.bearer}` },
      });
      let bytes = 0;
      let lines = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        for (const byte of chunk) if (byte === 10) lines += 1;
      }
      return { bytes, rows: lines - 1 };
    });
    clearInterval(sampler);

    // The same rows read straight from a cursor in this process: no HTTP, no formatting.
    const direct = await timed(async () => {
      const spec = reportSpec('interactions', null);
      const stream = db.query(new QueryStream(spec.sql, [from, to, 'UTC', null], { batchSize: 1000 }));
      let rows = 0;
      for await (const row of stream as AsyncIterable<Record<string, unknown>>) {
        spec.map(row);
        rows += 1;
      }
      return rows;
    });

    const p = (values: number[]) => percentileSummary(values);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    const summary = {
      machine: { cpus: cpus().length, node: process.version },
      loaded: {
        interactions: Number(counts?.interactions),
        events: Number(counts?.events),
        days: DAYS,
        seconds: +loadSeconds.toFixed(1),
      },
      realtime: {
        emptyHistoryMs: p(realtimeEmpty),
        millionInteractionsMs: p(realtimeLoaded),
        ratioP50: +(median(realtimeLoaded) / median(realtimeEmpty)).toFixed(2),
        targetP99Ms: 50,
      },
      dashboardTrendLastHour: {
        emptyHistoryMs: p(trendEmpty),
        millionInteractionsMs: p(trendLoaded),
        ratioP50: +(median(trendLoaded) / median(trendEmpty)).toFixed(2),
      },
      workgroupsMonthByDay: {
        rows: reportRuns[0]?.rows,
        gatewayMs: p(reportRuns.map((r) => r.ms)),
        fromEventLogMs: p(naiveRuns),
        ratio: +(median(reportRuns.map((r) => r.ms)) / median(naiveRuns)).toFixed(3),
        targetMs: 500,
      },
      otherReportsP50: otherReports,
      interactionsMonthCsv: {
        rows: csv.value.rows,
        megabytes: +(csv.value.bytes / 1e6).toFixed(1),
        seconds: +(csv.ms / 1000).toFixed(2),
        rowsPerSecond: Math.round(csv.value.rows / (csv.ms / 1000)),
        directCursorRowsPerSecond: Math.round(direct.value / (direct.ms / 1000)),
        ratioToDirect: +(csv.value.rows / (csv.ms / 1000) / (direct.value / (direct.ms / 1000))).toFixed(2),
        gatewayRssBeforeMb: +(rssBefore / 1e6).toFixed(1),
        gatewayRssGrowthMb: +((rssPeak - rssBefore) / 1e6).toFixed(1),
        rssGrowthPerExportedMb: +((rssPeak - rssBefore) / csv.value.bytes).toFixed(3),
        targetRssGrowthMb: 100,
      },
    };
    const dir = join(repoRoot(), 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'reports.json'), JSON.stringify(summary, null, 2) + '\n');
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    await second.end();
    await db.end();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
