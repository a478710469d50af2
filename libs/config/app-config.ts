import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

class EnvVariables {
  @Type(() => Number) @IsInt() @Min(0) @Max(65535) PORT = 3000;
  @IsOptional() @IsString() DATABASE_URL?: string;
  @IsString() DATA_DIR = './data';
  @IsOptional() @Matches(/^[^:\s]+:\d+$/, { message: 'TEMPORAL_ADDRESS must be host:port' }) TEMPORAL_ADDRESS?: string;
  @Type(() => Number) @IsInt() @Min(1) @Max(65535) TEMPORAL_PORT = 7233;
  @IsString() TEMPORAL_NAMESPACE = 'default';
  @Type(() => Number) @IsInt() @Min(1) @Max(65535) TEMPORAL_UI_PORT = 8233;
  @IsOptional() @IsString() TEMPORAL_CLI?: string;
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) FACEBOOK_GRAPH_URL = 'https://graph.facebook.com';
  @Matches(/^v\d+\.\d+$/) FACEBOOK_GRAPH_VERSION = 'v25.0';
  /**
   * Whether the Pages' app holds Meta's Human Agent permission: Messenger answers then go up to 7 days after the
   * customer's last message (tagged `HUMAN_AGENT` after 24 h); without it, 24 hours.
   */
  @IsIn(['true', 'false']) MESSENGER_HUMAN_AGENT = 'true';
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) TWITTER_API_URL = 'https://api.x.com';
  @IsOptional() @IsString() @MinLength(16) SECRET_KEY?: string;
  @IsOptional() @IsString() @MinLength(8) ADMIN_PASSWORD?: string;
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';
  @Type(() => Number) @IsInt() @Min(1024) WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;
  @Type(() => Number) @IsInt() @Min(1) @Max(65535) EMBEDDED_POSTGRES_PORT = 54329;
  /** X's per-user limit on the mentions timeline is 300 per 15 min: one every 3 s at most. */
  @Type(() => Number) @IsInt() @Min(1) X_POLL_MENTIONS_SECONDS = 15;
  /** X's per-user limit on DM events is 15 per 15 min: one a minute. */
  @Type(() => Number) @IsInt() @Min(1) X_POLL_DM_SECONDS = 60;
  /** A working day with some margin: an agent logs in once per shift. */
  @Type(() => Number) @IsInt() @Min(60) @Max(7 * 24 * 3600) TOKEN_TTL_SECONDS = 12 * 3600;
  @Type(() => Number) @IsInt() @Min(1) LOGIN_MAX_FAILURES_PER_USER = 5;
  @Type(() => Number) @IsInt() @Min(1) LOGIN_MAX_FAILURES_PER_ADDRESS = 100;
  @Type(() => Number) @IsInt() @Min(1) LOGIN_LOCKOUT_SECONDS = 900;
  /**
   * Express's `trust proxy`: `false`, a hop count, or the proxies' addresses/subnets (comma-separated; `loopback`,
   * `linklocal`, `uniquelocal` too). Not `true`: that believes whatever `X-Forwarded-For` a client writes.
   */
  @Matches(
    /^(false|\d+|(loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+))*)$/,
    { message: 'TRUST_PROXY must be false, a hop count, or the addresses of your proxies (not true)' },
  )
  TRUST_PROXY = 'false';
  @Type(() => Number) @IsInt() @Min(1) @Max(1000) WS_MAX_CONNECTIONS_PER_USER = 10;
  /** IANA zone in which "today" and report intervals are counted. */
  @IsString() REPORT_TIME_ZONE = 'UTC';
  /** How long an agent whose last socket closed stays as they were before going offline. */
  @Type(() => Number) @IsInt() @Min(1) @Max(3600) PRESENCE_GRACE_SECONDS = 30;
  /** The worker's Prometheus endpoint (`GET /metrics`); 0: none. */
  @Type(() => Number) @IsInt() @Min(0) @Max(65535) WORKER_METRICS_PORT = 9464;
}

/** Whether the runtime knows this IANA time zone (PostgreSQL ships the same database). */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `TRUST_PROXY` as Express takes it. */
function trustProxy(value: string): false | number | string {
  if (value === 'false') return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}

export interface AppConfig {
  port: number;
  dataDir: string;
  /** Unset means: embedded, or whatever `DATA_DIR/endpoints.json` says. */
  databaseUrl: string | null;
  temporal: {
    address: string | null;
    port: number;
    namespace: string;
    uiPort: number;
    cli: string | null;
  };
  facebook: { graphUrl: string; graphVersion: string; humanAgentTag: boolean };
  twitter: { apiUrl: string; pollMentionsSeconds: number; pollDmSeconds: number };
  secretKey: Buffer;
  adminPassword: string | null;
  logLevel: string;
  webhookBodyLimitBytes: number;
  /** Preferred port of the embedded PostgreSQL (another is picked when it is taken). */
  embeddedPostgresPort: number;
  auth: {
    tokenTtlSeconds: number;
    /** Failed logins allowed per user name, and per client address, within `lockoutSeconds`; then 429 as long. */
    maxFailuresPerUser: number;
    maxFailuresPerAddress: number;
    lockoutSeconds: number;
  };
  /** Whom to believe about the client's address (`X-Forwarded-For`), for the per-address limits. */
  trustProxy: false | number | string;
  wsMaxConnectionsPerUser: number;
  reportTimeZone: string;
  workerMetricsPort: number;
  presenceGraceSeconds: number;
}

export class ConfigError extends Error {}

export interface Endpoints {
  databaseUrl: string;
  temporalAddress: string;
}

export function endpointsFile(dataDir: string): string {
  return join(dataDir, 'endpoints.json');
}

export function readEndpoints(dataDir: string): Endpoints | null {
  const file = endpointsFile(dataDir);
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as Endpoints;
}

export function writeEndpoints(dataDir: string, endpoints: Endpoints): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(endpointsFile(dataDir), JSON.stringify(endpoints, null, 2) + '\n');
}

/** The key that encrypts platform credentials: `SECRET_KEY`, else one generated once into `DATA_DIR`. */
function loadSecretKey(dataDir: string, fromEnv: string | undefined): Buffer {
  if (fromEnv) return Buffer.from(fromEnv, 'utf8');
  const file = join(dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
}

/** Validates the environment once, at boot; nothing else in the project reads `process.env`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const vars = plainToInstance(EnvVariables, present, { exposeDefaultValues: true });
  const errors = validateSync(vars, { whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`);
    throw new ConfigError(`Invalid environment variables:\n  ${lines.join('\n  ')}`);
  }
  if (!isTimeZone(vars.REPORT_TIME_ZONE)) {
    throw new ConfigError(
      `Invalid environment variables:\n  REPORT_TIME_ZONE: not an IANA time zone (Europe/Paris, UTC...)`,
    );
  }
  const dataDir = resolve(vars.DATA_DIR);
  return {
    port: vars.PORT,
    dataDir,
    databaseUrl: vars.DATABASE_URL ?? null,
    temporal: {
      address: vars.TEMPORAL_ADDRESS ?? null,
      port: vars.TEMPORAL_PORT,
      namespace: vars.TEMPORAL_NAMESPACE,
      uiPort: vars.TEMPORAL_UI_PORT,
      cli: vars.TEMPORAL_CLI ?? null,
    },
    facebook: {
      graphUrl: stripSlash(vars.FACEBOOK_GRAPH_URL),
      graphVersion: vars.FACEBOOK_GRAPH_VERSION,
      humanAgentTag: vars.MESSENGER_HUMAN_AGENT === 'true',
    },
    twitter: {
      apiUrl: stripSlash(vars.TWITTER_API_URL),
      pollMentionsSeconds: vars.X_POLL_MENTIONS_SECONDS,
      pollDmSeconds: vars.X_POLL_DM_SECONDS,
    },
    secretKey: loadSecretKey(dataDir, vars.SECRET_KEY),
    adminPassword: vars.ADMIN_PASSWORD ?? null,
    logLevel: vars.LOG_LEVEL,
    webhookBodyLimitBytes: vars.WEBHOOK_BODY_LIMIT_BYTES,
    embeddedPostgresPort: vars.EMBEDDED_POSTGRES_PORT,
    auth: {
      tokenTtlSeconds: vars.TOKEN_TTL_SECONDS,
      maxFailuresPerUser: vars.LOGIN_MAX_FAILURES_PER_USER,
      maxFailuresPerAddress: vars.LOGIN_MAX_FAILURES_PER_ADDRESS,
      lockoutSeconds: vars.LOGIN_LOCKOUT_SECONDS,
    },
    trustProxy: trustProxy(vars.TRUST_PROXY),
    wsMaxConnectionsPerUser: vars.WS_MAX_CONNECTIONS_PER_USER,
    reportTimeZone: vars.REPORT_TIME_ZONE,
    workerMetricsPort: vars.WORKER_METRICS_PORT,
    presenceGraceSeconds: vars.PRESENCE_GRACE_SECONDS,
  };
}

/**
 * For a process that joins a running system (`npm run start:gateway`, `start:worker`): explicit variables win,
 * else the endpoints that `npm start` wrote.
 */
export function resolveEndpoints(config: AppConfig): Endpoints {
  const written = readEndpoints(config.dataDir);
  const databaseUrl = config.databaseUrl ?? written?.databaseUrl;
  const temporalAddress = config.temporal.address ?? written?.temporalAddress;
  if (!databaseUrl || !temporalAddress) {
    throw new ConfigError(
      `DATABASE_URL and TEMPORAL_ADDRESS are not set and ${endpointsFile(config.dataDir)} does not exist: ` +
        'set them, or run `npm start`, which starts embedded PostgreSQL and Temporal and writes that file.',
    );
  }
  return { databaseUrl, temporalAddress };
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
