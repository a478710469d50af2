import type { SimulatorOperations } from './operations';
import type { DeliveryRecord, SentRecord } from './types';
import { isPlainObject } from './validation';

/*
 * The page a browser gets at `GET /`: what the simulator is doing right now, for demos. Recent webhook deliveries
 * (with their bodies), what Switchboard sent through the APIs, the accounts, and a cheat sheet of control calls.
 */

const RECENT = 40;

/** Control calls worth knowing by heart; printed by `npm run simulate` and shown on the page. */
export function cheatSheet(url: string): string[] {
  return [
    `curl -X POST ${url}/_sim/handshake/facebook            # Meta verification GET against the gateway`,
    `curl -X POST ${url}/_sim/handshake/twitter             # X CRC check against the gateway`,
    `curl -X POST ${url}/_sim/inject/comment -d '{"text":"Where is my order?"}'`,
    `curl -X POST ${url}/_sim/inject/message -d '{"text":"Hi, I need help"}'`,
    `curl -X POST ${url}/_sim/inject/mention                # "@acmecare ..." from a new customer`,
    `curl -X POST ${url}/_sim/inject/dm -d '{"text":"My parcel is late"}'`,
    `curl -X POST ${url}/_sim/webhook-mode -d '{"mode":"duplicate"}'   # normal|down|slow|duplicate|reorder`,
    `curl -X PUT  ${url}/_sim/config -d '{"xWebhookFormat":"xaa","batch":{"maxEntries":50,"windowMs":2000}}'`,
    `curl -X POST ${url}/_sim/fail-next -d '{"graphError":613}'          # next Graph call is rate limited`,
    `curl -X POST ${url}/_sim/clock -d '{"advanceSeconds":90000}'       # 25 h later: Messenger window closed`,
    `curl ${url}/_sim/sent        curl ${url}/_sim/deliveries        curl ${url}/_sim   (all routes)`,
  ];
}

export function renderDashboard(ops: SimulatorOperations, url: string): string {
  const config = ops.config();
  const mode = ops.webhookMode();
  const deliveries = ops.deliveries().slice(-RECENT).reverse();
  const sent = ops.sent().slice(-RECENT).reverse();
  const accounts = [
    ...config.pages.map(
      (p) => `Facebook page <b>${esc(p.name)}</b> ${esc(p.pageId)} (token ${esc(p.pageAccessToken)})`,
    ),
    ...config.xAccounts.map(
      (a) =>
        `X account <b>@${esc(a.handle)}</b> ${esc(a.userId)}${a.webhook === false ? ' (no webhooks: polling only)' : ''}`,
    ),
  ];
  const sender =
    `mode <b>${esc(mode.mode)}</b>, X format <b>${esc(mode.xWebhookFormat)}</b>, ` +
    `Facebook batching ${mode.batch ? `<b>${mode.batch.maxEntries} entries / ${mode.batch.windowMs} ms</b>` : 'off'}, ` +
    `queued ${mode.queue.queued}, retrying ${mode.queue.retrying + mode.queue.waitingForRecovery}` +
    mode.queue.failing
      .map((f) => `; <b>${esc(f.platform)} ${esc(f.accountId)} failing since ${esc(f.failingSince)}</b>`)
      .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Switchboard platform simulator</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1c1e21}
h1{font-size:1.3rem}h2{font-size:1.05rem;margin-top:1.6rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f0f2f5}code,pre{font:12px ui-monospace,monospace}pre{white-space:pre-wrap;word-break:break-all;margin:0}
.delivered{color:#1a7f37}.failed,.dropped{color:#cf222e}.retrying,.queued,.pending{color:#9a6700}
</style></head><body>
<h1>Switchboard platform simulator</h1>
<p>Graph API <code>${esc(url)}/v25.0/…</code>, X API <code>${esc(url)}/2/…</code>, control API
<code>${esc(url)}/_sim</code>. Webhooks go to <code>${esc(config.gatewayUrl)}</code>.
Simulator clock: <b>${esc(ops.now().toISOString())}</b>.</p>
<p>${accounts.join('<br>')}</p>
<p>Webhook sender: ${sender}</p>
<h2>Recent webhook deliveries</h2>
${deliveries.length === 0 ? '<p>None yet.</p>' : deliveryTable(deliveries)}
<h2>Sent by Switchboard through the APIs</h2>
${sent.length === 0 ? '<p>Nothing yet.</p>' : sentTable(sent)}
<h2>Cheat sheet</h2>
<pre>${esc(cheatSheet(url).join('\n'))}</pre>
</body></html>`;
}

function deliveryTable(deliveries: DeliveryRecord[]): string {
  const rows = deliveries.map((d) => {
    const attempts = d.attempts.map((a) => a.status ?? 'error').join(', ') || '–';
    return (
      `<tr><td>#${d.id}</td><td>${esc(d.createdAt.slice(11, 19))}</td><td>${esc(d.platform)}</td>` +
      `<td>${esc(d.source)}</td><td class="${esc(d.state)}">${esc(d.state)}</td><td>${esc(attempts)}</td>` +
      `<td><details><summary>${esc(summarize(d))}</summary><pre>${esc(d.body)}</pre></details></td></tr>`
    );
  });
  return (
    '<table><tr><th>id</th><th>created</th><th>platform</th><th>source</th><th>state</th><th>attempts</th>' +
    `<th>events</th></tr>${rows.join('')}</table>`
  );
}

function sentTable(sent: SentRecord[]): string {
  const rows = sent.map(
    (s) =>
      `<tr><td>${esc(s.at.slice(11, 19))}</td><td>${esc(s.platform)}</td><td>${esc(s.kind)}</td>` +
      `<td><code>${esc(s.id)}</code></td><td><code>${esc(s.target ?? '')}</code></td><td>${esc(s.text ?? '')}</td></tr>`,
  );
  return (
    '<table><tr><th>at (sim)</th><th>platform</th><th>kind</th><th>id</th><th>answers / to</th><th>text</th></tr>' +
    `${rows.join('')}</table>`
  );
}

/** A one-line description of what a webhook body carries, e.g. "comment add, message echo". */
export function summarize(delivery: DeliveryRecord): string {
  let body: unknown;
  try {
    body = JSON.parse(delivery.body);
  } catch {
    return delivery.body === '' ? 'batch being collected' : 'not JSON';
  }
  if (!isPlainObject(body)) return 'JSON';
  if (isPlainObject(body.data) && typeof body.data.event_type === 'string') return body.data.event_type;
  if (delivery.platform === 'twitter') {
    return Object.keys(body)
      .filter((key) => key.endsWith('_events') || key === 'user_event')
      .join(', ');
  }
  const parts: string[] = [];
  for (const entry of Array.isArray(body.entry) ? body.entry : []) {
    if (!isPlainObject(entry)) continue;
    for (const change of Array.isArray(entry.changes) ? entry.changes : []) {
      const value = isPlainObject(change) && isPlainObject(change.value) ? change.value : {};
      const item = typeof value.item === 'string' ? value.item : '?';
      parts.push(`${item} ${typeof value.verb === 'string' ? value.verb : ''}`.trim());
    }
    for (const channel of ['messaging', 'standby'] as const) {
      const events = entry[channel];
      for (const event of Array.isArray(events) ? events : []) {
        if (!isPlainObject(event)) continue;
        const kind =
          ['delivery', 'read', 'postback', 'message_edit', 'reaction'].find((key) => key in event) ??
          (isPlainObject(event.message) && event.message.is_echo === true ? 'message echo' : 'message');
        parts.push(channel === 'standby' ? `${kind} (standby)` : kind);
      }
    }
  }
  return parts.join(', ') || 'no events';
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
