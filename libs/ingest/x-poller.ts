import type { DataSource } from 'typeorm';
import { Platform } from '@switchboard/contracts';
import { queryOne, queryRows, type SecretBox, type TwitterAccountCredentials } from '@switchboard/persistence';
import { XRateLimitedError, type NormalizedEvent, type TwitterClient } from '@switchboard/platforms';
import type { IngestPipeline } from './ingest-pipeline';

export type PollStream = 'mentions' | 'dm_events';

export interface PollSettings {
  mentionsSeconds: number;
  dmSeconds: number;
}

export interface PollResult {
  /** False once the account is gone or no longer set to poll: the poller workflow ends. */
  active: boolean;
  /** When the next stream is due (a rate limit's reset included). */
  nextPollInSeconds: number;
  stored: number;
}

/**
 * A poll keeps only what is this recent (and a first poll reads only the newest page): switching an account to
 * polling must not turn months of old mentions into interactions; anything older was the webhook's to deliver.
 */
const POLL_LOOKBACK_MS = 24 * 60 * 60 * 1000;

/** How long a stream that failed for another reason than a rate limit waits before it is read again. */
const FAILURE_BACKOFF_SECONDS = 60;

interface AccountRow {
  id: string;
  platform_account_id: string;
  ingest: string;
  credentials_ciphertext: string;
}

interface CursorRow {
  stream: PollStream;
  cursor: string | null;
  next_poll_at: Date | null;
}

/**
 * One pass over a polled X account's timelines (mentions, DM events), each when it is due. What it reads goes through
 * the same ingest as a webhook, so a post seen both ways is still one message. The cursor moves only after the
 * events are stored: a crash in between reads them again, and the unique index absorbs the repeat.
 */
export class XPoller {
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly twitter: TwitterClient,
    private readonly pipeline: IngestPipeline,
    private readonly settings: PollSettings,
  ) {}

  /** The accounts that should have a poller running. */
  async pollingAccounts(): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `SELECT id FROM accounts WHERE platform = 'twitter' AND ingest = 'poll'`,
    );
    return rows.map((row) => row.id);
  }

  async poll(accountId: string): Promise<PollResult> {
    const account = await queryOne<AccountRow>(
      this.dataSource,
      `SELECT id, platform_account_id, ingest, credentials_ciphertext FROM accounts
        WHERE id = $1 AND platform = 'twitter'`,
      [accountId],
    );
    if (!account || account.ingest !== 'poll') return { active: false, nextPollInSeconds: 0, stored: 0 };
    const credentials = this.secrets.openJson<TwitterAccountCredentials>(account.credentials_ciphertext);
    const cursors = new Map(
      (
        await queryRows<CursorRow>(
          this.dataSource,
          'SELECT stream, cursor, next_poll_at FROM poll_cursors WHERE account_id = $1',
          [accountId],
        )
      ).map((row) => [row.stream, row]),
    );

    let stored = 0;
    const nextAt: number[] = [];
    for (const stream of ['mentions', 'dm_events'] as const) {
      const cursor = cursors.get(stream);
      if (cursor?.next_poll_at && cursor.next_poll_at.getTime() > Date.now()) {
        nextAt.push(cursor.next_poll_at.getTime());
        continue;
      }
      try {
        stored += await this.pollStream(account, credentials, stream, cursor?.cursor ?? null);
        nextAt.push(Date.now() + this.intervalSeconds(stream) * 1000);
      } catch (error) {
        // A rate limit waits for its reset; any other failure (network, a permission the DM stream lacks) waits a
        // while on its own, so one failing stream never holds up the other.
        const retryAt =
          error instanceof XRateLimitedError ? error.resetAt.getTime() : Date.now() + FAILURE_BACKOFF_SECONDS * 1000;
        await this.recordFailure(accountId, stream, error, retryAt);
        nextAt.push(retryAt);
      }
    }
    const next = Math.min(...nextAt);
    return { active: true, nextPollInSeconds: Math.max(1, Math.ceil((next - Date.now()) / 1000)), stored };
  }

  private intervalSeconds(stream: PollStream): number {
    return stream === 'mentions' ? this.settings.mentionsSeconds : this.settings.dmSeconds;
  }

  private async pollStream(
    account: AccountRow,
    credentials: TwitterAccountCredentials,
    stream: PollStream,
    cursor: string | null,
  ): Promise<number> {
    const page =
      stream === 'mentions'
        ? await this.twitter.fetchMentions({ credentials, userId: account.platform_account_id, sinceId: cursor })
        : await this.twitter.fetchDmEvents({
            credentials,
            accountUserId: account.platform_account_id,
            lastSeenId: cursor,
          });
    // Also with a cursor: an account back on polling after weeks on webhooks must not replay what it missed then.
    const events = page.events.filter(recent);
    const outcome = await this.pipeline.acceptAndRoute(
      events,
      new Map([[`${Platform.TWITTER}:${account.platform_account_id}`, account.id]]),
    );
    await this.dataSource.query(
      `INSERT INTO poll_cursors (account_id, stream, cursor, polled_at, next_poll_at, events_stored, last_error)
       VALUES ($1, $2, $3, now(), now() + make_interval(secs => $4), $5, NULL)
       ON CONFLICT (account_id, stream) DO UPDATE SET
         cursor = COALESCE(EXCLUDED.cursor, poll_cursors.cursor), polled_at = now(),
         next_poll_at = EXCLUDED.next_poll_at, events_stored = poll_cursors.events_stored + EXCLUDED.events_stored,
         last_error = NULL`,
      [account.id, stream, page.newestId, this.intervalSeconds(stream), outcome.created.length + outcome.outbound],
    );
    return outcome.created.length + outcome.outbound;
  }

  private async recordFailure(
    accountId: string,
    stream: PollStream,
    error: unknown,
    retryAt: number | null,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO poll_cursors (account_id, stream, polled_at, next_poll_at, last_error)
       VALUES ($1, $2, now(), $3, $4)
       ON CONFLICT (account_id, stream) DO UPDATE SET
         polled_at = now(), next_poll_at = EXCLUDED.next_poll_at, last_error = EXCLUDED.last_error`,
      [accountId, stream, retryAt ? new Date(retryAt) : null, error instanceof Error ? error.message : String(error)],
    );
  }
}

function recent(event: NormalizedEvent): boolean {
  return event.kind !== 'message' || Date.now() - Date.parse(event.sentAt) < POLL_LOOKBACK_MS;
}
