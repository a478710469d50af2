import pino, { type Logger } from 'pino';

/** JSON lines on stdout, one logger per process; `LOG_LEVEL` sets the level. */
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level, base: { service: name } });
}

export type { Logger };
