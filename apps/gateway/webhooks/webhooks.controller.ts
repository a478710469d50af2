import { Controller, Get, HttpCode, HttpException, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  constantTimeEqual,
  isCrcToken,
  parseFacebookWebhook,
  parseTwitterWebhook,
  twitterCrcResponse,
  verifyFacebookSignature,
  verifyTwitterSignature,
  type NormalizedEvent,
} from '@switchboard/platforms';
import { Platform } from '@switchboard/contracts';
import { DeliveryDeadlineError, IngestPipeline } from '@switchboard/ingest';
import type { Logger } from '@switchboard/observability';
import { Public } from '../auth/auth.decorators';
import { webhookAckSeconds, webhookEvents, webhookRequests } from '../ops/metrics';
import { ApiError } from '../core/api-error';
import { LOGGER } from '../core/tokens';
import { clientAddress, takePoint, WebhookLimits } from '../core/rate-limits';
import { AccountDirectory } from '../ingest/account-directory';

interface Receiver {
  header: string;
  /** Every account's secret: the one that verifies the body says whose events it may carry. */
  signers: { accountId: string; secret: string }[];
  verify: (secret: string, raw: Buffer, header: string | undefined) => boolean;
  parse: (body: unknown) => NormalizedEvent[];
}

/**
 * How long a delivery may spend storing before it is refused with 503 (each statement may also take up to the
 * gateway's 3 s statement timeout): Meta gives up after 5 s, X after 10 s, and a refused delivery is sent again.
 */
const DELIVERY_BUDGET_MS = 2_500;

function rawBody(request: Request): Buffer {
  const body = request.body as unknown;
  if (!Buffer.isBuffer(body) || body.length === 0) throw ApiError.badRequest('empty request body');
  return body;
}

async function measured<T>(platform: Platform, work: () => Promise<T>): Promise<T> {
  const stop = webhookAckSeconds.startTimer({ platform });
  try {
    const result = await work();
    webhookRequests.inc({ platform, status: '200' });
    return result;
  } catch (error) {
    webhookRequests.inc({ platform, status: String(error instanceof HttpException ? error.getStatus() : 500) });
    throw error;
  } finally {
    stop();
  }
}

/** The accounts whose secret signed the body; each distinct secret (one Meta app serves many Pages) is tried once. */
function signersOf(receiver: Receiver, raw: Buffer, header: string | undefined): Set<string> {
  const verdicts = new Map<string, boolean>();
  const signed = new Set<string>();
  for (const { accountId, secret } of receiver.signers) {
    let valid = verdicts.get(secret);
    if (valid === undefined) {
      valid = receiver.verify(secret, raw, header);
      verdicts.set(secret, valid);
    }
    if (valid) signed.add(accountId);
  }
  return signed;
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw ApiError.badRequest('request body is not valid JSON');
  }
}

/**
 * What Meta and X call. The signature is checked over the raw bytes before anything is parsed, and the answer is
 * given once the events are stored: routing to Temporal happens after the acknowledgement.
 */
@Public()
@ApiExcludeController()
@Controller('webhooks')
export class WebhooksController {
  private readonly limits = new WebhookLimits();

  constructor(
    private readonly directory: AccountDirectory,
    private readonly ingest: IngestPipeline,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get('facebook')
  async verifyFacebook(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await takePoint(this.limits.handshakes, `facebook:${clientAddress(request)}`, 'too many verification requests');
    const accounts = await this.directory.facebook();
    const token = query['hub.verify_token'];
    const challenge = query['hub.challenge'];
    // Every account's token is compared, each in constant time, so the answer's timing tells nothing about any.
    const known =
      typeof token === 'string' &&
      accounts.reduce((found, account) => constantTimeEqual(account.credentials.verifyToken, token) || found, false);
    const ok = query['hub.mode'] === 'subscribe' && typeof challenge === 'string' && known;
    if (!ok) {
      response.status(403).type('text/plain').send('verification failed');
      return;
    }
    response.status(200).type('text/plain').send(challenge);
  }

  @Post('facebook')
  @HttpCode(200)
  async receiveFacebook(@Req() request: Request) {
    const accounts = await this.directory.facebook();
    return this.receive(Platform.FACEBOOK, request, {
      header: 'x-hub-signature-256',
      signers: accounts.map((a) => ({ accountId: a.platformAccountId, secret: a.credentials.appSecret })),
      verify: verifyFacebookSignature,
      parse: parseFacebookWebhook,
    });
  }

  @Get('twitter')
  async crc(@Query('crc_token') crcToken: unknown, @Req() request: Request) {
    await takePoint(this.limits.handshakes, `twitter:${clientAddress(request)}`, 'too many CRC requests');
    if (!isCrcToken(crcToken)) {
      throw ApiError.badRequest('invalid crc_token', [
        { field: 'crc_token', message: 'required: a token of up to 128 characters of the base64 or url-safe alphabet' },
      ]);
    }
    const [account] = (await this.directory.twitter()).sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
    if (!account) throw ApiError.notFound('X account', 'any');
    return twitterCrcResponse(account.credentials.consumerSecret, crcToken);
  }

  @Post('twitter')
  @HttpCode(200)
  async receiveTwitter(@Req() request: Request) {
    const accounts = await this.directory.twitter();
    return this.receive(Platform.TWITTER, request, {
      header: 'x-twitter-webhooks-signature',
      signers: accounts.map((a) => ({ accountId: a.platformAccountId, secret: a.credentials.consumerSecret })),
      verify: verifyTwitterSignature,
      parse: parseTwitterWebhook,
    });
  }

  /**
   * One path for both platforms: the signature over the raw bytes first (401, nothing stored), then the JSON (400),
   * then only the events of accounts whose secret signed the body.
   */
  private receive(platform: Platform, request: Request, receiver: Receiver) {
    return measured(platform, async () => {
      const raw = rawBody(request);
      const header = request.header(receiver.header);
      const signedBy = signersOf(receiver, raw, header);
      if (signedBy.size === 0) throw ApiError.unauthorized(`missing or invalid ${receiver.header}`);
      const events = receiver.parse(parseJson(raw));
      return this.store(
        platform,
        events.filter((event) => signedBy.has(event.accountPlatformId)),
      );
    });
  }

  private async store(platform: Platform, events: NormalizedEvent[]) {
    const startedAt = Date.now();
    try {
      const accounts = new Map(
        (await this.directory.all()).map((a) => [`${a.platform}:${a.platformAccountId}`, a.id] as const),
      );
      const outcome = await this.ingest.accept(events, accounts, startedAt + DELIVERY_BUDGET_MS);
      const stored = outcome.created.length + outcome.outbound;
      webhookEvents.inc({ platform, outcome: 'parsed' }, events.length);
      webhookEvents.inc({ platform, outcome: 'stored' }, stored);
      return { received: events.length, stored, changes: outcome.changes };
    } catch (error) {
      // Storage is down or slow: the platform must retry, so nothing is acknowledged. The database's own words stay in
      // the log.
      if (error instanceof DeliveryDeadlineError) {
        throw ApiError.unavailable(`could not store the events: ${error.message}`);
      }
      this.logger.warn({ err: error, platform }, 'could not store a delivery; the platform will retry');
      throw ApiError.unavailable('could not store the events; the delivery should be retried');
    }
  }
}
