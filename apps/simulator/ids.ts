import { randomBytes, randomInt } from 'node:crypto';

/** X's snowflake epoch (2010-11-04T01:42:54.657Z). */
export const TWITTER_EPOCH_MS = 1288834974657n;

/**
 * Generates X-style snowflake ids: 41 bits of milliseconds since the X epoch, 10 bits of worker id, 12 bits of
 * sequence. Ids always increase, even when the simulator clock is moved backwards, because the backend may order by
 * id; the worker id is random so that two simulator processes feeding one database do not collide.
 */
export class SnowflakeGenerator {
  private lastTick = -1n;
  private sequence = 0n;
  private readonly worker = BigInt(randomInt(0, 1024));

  next(nowMs: number): string {
    let tick = BigInt(Math.floor(nowMs)) - TWITTER_EPOCH_MS;
    if (tick < this.lastTick) tick = this.lastTick;
    if (tick === this.lastTick) {
      this.sequence = (this.sequence + 1n) & 0xfffn;
      if (this.sequence === 0n) tick = this.lastTick + 1n;
    } else {
      this.sequence = 0n;
    }
    this.lastTick = tick;
    return ((tick << 22n) | (this.worker << 12n) | this.sequence).toString();
  }
}

/** Milliseconds encoded in a snowflake id. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + TWITTER_EPOCH_MS);
}

/**
 * Facebook object ids (the parts of `{page_id}_{post_id}` and `{post_id}_{comment_id}`): 16-digit numbers that grow
 * with time, like Meta's.
 */
export class FacebookIdGenerator {
  private last = 0n;

  next(nowMs: number): string {
    let candidate = BigInt(Math.floor(nowMs)) * 1000n + BigInt(randomInt(0, 1000));
    if (candidate <= this.last) candidate = this.last + 1n;
    this.last = candidate;
    return candidate.toString();
  }
}

/** Messenger message ids look like `m_` followed by a long url-safe token. */
export function messengerMid(): string {
  return `m_${randomBytes(48).toString('base64url')}`;
}

const TRACE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function fbtraceId(): string {
  let id = '';
  for (let i = 0; i < 11; i++) id += TRACE_ALPHABET[randomInt(0, TRACE_ALPHABET.length)];
  return id;
}

export function randomDigits(count: number): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < count) digits += String(randomInt(0, 10));
  return digits;
}

/** Orders numeric id strings of any length without losing precision. */
export function compareNumericIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
