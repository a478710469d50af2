import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { IngestMode, Platform, Role } from '@switchboard/contracts';
import { xAccountChanged } from '@switchboard/ingest';
import type { Logger } from '@switchboard/observability';
import {
  AccountEntity,
  SecretBox,
  type FacebookCredentials,
  type TwitterAccountCredentials,
} from '@switchboard/persistence';
import { Roles } from '../auth/auth.decorators';
import { ApiError } from '../core/api-error';
import { IdPipe } from '../core/id.pipe';
import { DATA_SOURCE, LOGGER, TEMPORAL_CLIENT } from '../core/tokens';
import { AccountDirectory } from '../ingest/account-directory';
import { mapConstraintErrors } from './db-errors';

const isFacebook = (o: AccountDto) => o.platform === Platform.FACEBOOK;
const isTwitter = (o: AccountDto) => o.platform === Platform.TWITTER;
const SECRET = { writeOnly: true, description: 'write-only: never returned' };

const INGEST_DESCRIPTION =
  'X only. "poll": mentions and DM events are read through the X API by a durable poller with a stored cursor ' +
  '(X_POLL_MENTIONS_SECONDS / X_POLL_DM_SECONDS), with the same results as webhooks.';

/** One body for both platforms; `platform` says which fields are required. Secrets are write-only. */
export class AccountDto {
  @ApiProperty({ enum: Platform }) @IsEnum(Platform) platform!: Platform;
  @ApiProperty({ example: 'Acme Care' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;

  @ApiPropertyOptional({ description: 'facebook: the Page id', example: '1000000000001' })
  @ValidateIf(isFacebook)
  @IsString()
  @Matches(/^\d{1,30}$/, { message: 'pageId must be the numeric Page id' })
  pageId?: string;
  @ApiPropertyOptional(SECRET) @ValidateIf(isFacebook) @IsString() @MinLength(1) pageAccessToken?: string;
  @ApiPropertyOptional(SECRET) @ValidateIf(isFacebook) @IsString() @MinLength(1) appSecret?: string;
  @ApiPropertyOptional(SECRET) @ValidateIf(isFacebook) @IsString() @MinLength(1) verifyToken?: string;

  @ApiPropertyOptional({ description: 'twitter: the numeric X user id', example: '2000000000001' })
  @ValidateIf(isTwitter)
  @IsString()
  @Matches(/^\d{1,30}$/, { message: 'userId must be the numeric X user id' })
  userId?: string;
  @ApiPropertyOptional({ example: 'acmecare' })
  @ValidateIf(isTwitter)
  @IsString()
  @Matches(/^@?\w{1,15}$/, { message: 'handle must be an X handle' })
  handle?: string;
  @ApiPropertyOptional(SECRET) @ValidateIf(isTwitter) @IsString() @MinLength(1) consumerKey?: string;
  @ApiPropertyOptional(SECRET) @ValidateIf(isTwitter) @IsString() @MinLength(1) consumerSecret?: string;
  @ApiPropertyOptional(SECRET) @ValidateIf(isTwitter) @IsString() @MinLength(1) accessToken?: string;
  @ApiPropertyOptional(SECRET) @ValidateIf(isTwitter) @IsString() @MinLength(1) accessTokenSecret?: string;
  @ApiPropertyOptional({ enum: IngestMode, default: IngestMode.WEBHOOK, description: INGEST_DESCRIPTION })
  @IsOptional()
  @IsIn(Object.values(IngestMode))
  ingest?: IngestMode;
}

/** PATCH: any field but the platform and its account id; a secret given replaces the stored one. */
class UpdateAccountDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional(SECRET) @IsOptional() @IsString() @MinLength(1) pageAccessToken?: string;
  @ApiPropertyOptional(SECRET) @IsOptional() @IsString() @MinLength(1) appSecret?: string;
  @ApiPropertyOptional(SECRET) @IsOptional() @IsString() @MinLength(1) verifyToken?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/^@?\w{1,15}$/) handle?: string;
  @ApiPropertyOptional(SECRET) @IsOptional() @IsString() @MinLength(1) consumerKey?: string;
  @ApiPropertyOptional(SECRET) @IsOptional() @IsString() @MinLength(1) consumerSecret?: string;
  @ApiPropertyOptional(SECRET) @IsOptional() @IsString() @MinLength(1) accessToken?: string;
  @ApiPropertyOptional(SECRET) @IsOptional() @IsString() @MinLength(1) accessTokenSecret?: string;
  @ApiPropertyOptional({ enum: IngestMode, description: INGEST_DESCRIPTION })
  @IsOptional()
  @IsIn(Object.values(IngestMode))
  ingest?: IngestMode;
}

export function accountView(a: AccountEntity) {
  const base = { id: a.id, platform: a.platform, name: a.name, createdAt: a.createdAt, updatedAt: a.updatedAt };
  return a.platform === Platform.FACEBOOK
    ? { ...base, pageId: a.platformAccountId }
    : { ...base, userId: a.platformAccountId, handle: a.handle, ingest: a.ingest };
}

const stripAt = (handle: string) => handle.replace(/^@/, '');

@ApiTags('configuration')
@ApiBearerAuth()
@ApiExtraModels(AccountDto)
@Roles(Role.ADMIN)
@Controller('api/accounts')
export class AccountsController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly secrets: SecretBox,
    private readonly directory: AccountDirectory,
  ) {}

  /**
   * An X account's poller hears of every change at once. Best effort: the worker's maintenance starts a missing
   * poller within seconds, and a running one re-reads its account every minute.
   */
  private async changed(account: { id: string; platform: Platform; ingest: IngestMode }, deleted = false) {
    if (account.platform !== Platform.TWITTER) return;
    const polls = !deleted && account.ingest === IngestMode.POLL;
    await xAccountChanged(this.temporal, account.id, polls).catch((error: unknown) =>
      this.logger.warn({ err: error, accountId: account.id }, 'could not reach the account poller'),
    );
  }

  private get repo() {
    return this.dataSource.getRepository(AccountEntity);
  }

  private async find(id: string): Promise<AccountEntity> {
    const found = await this.repo.findOne({ where: { id }, select: { credentialsCiphertext: true, ...allColumns } });
    if (!found) throw ApiError.notFound('account', id);
    return found;
  }

  @Get()
  async list() {
    return (await this.repo.find({ order: { createdAt: 'ASC' } })).map(accountView);
  }

  @Post()
  async create(@Body() body: AccountDto) {
    const facebook = body.platform === Platform.FACEBOOK;
    const credentials: FacebookCredentials | TwitterAccountCredentials = facebook
      ? { pageAccessToken: body.pageAccessToken!, appSecret: body.appSecret!, verifyToken: body.verifyToken! }
      : {
          consumerKey: body.consumerKey!,
          consumerSecret: body.consumerSecret!,
          accessToken: body.accessToken!,
          accessTokenSecret: body.accessTokenSecret!,
        };
    const entity = this.repo.create({
      platform: body.platform,
      name: body.name,
      platformAccountId: facebook ? body.pageId! : body.userId!,
      handle: facebook ? null : stripAt(body.handle!),
      ingest: facebook ? IngestMode.WEBHOOK : (body.ingest ?? IngestMode.WEBHOOK),
      credentialsCiphertext: this.secrets.sealJson(credentials),
    });
    const saved = await mapConstraintErrors(() => this.repo.save(entity));
    this.directory.invalidate();
    await this.changed(saved);
    return accountView(saved);
  }

  @Get(':id')
  async get(@Param('id', IdPipe) id: string) {
    return accountView(await this.find(id));
  }

  @Patch(':id')
  async update(@Param('id', IdPipe) id: string, @Body() body: UpdateAccountDto) {
    const entity = await this.find(id);
    const credentials = this.secrets.openJson<Record<string, string>>(entity.credentialsCiphertext);
    const secretFields =
      entity.platform === Platform.FACEBOOK
        ? (['pageAccessToken', 'appSecret', 'verifyToken'] as const)
        : (['consumerKey', 'consumerSecret', 'accessToken', 'accessTokenSecret'] as const);
    for (const field of secretFields) {
      const value = body[field];
      if (value !== undefined) credentials[field] = value;
    }
    if (body.name !== undefined) entity.name = body.name;
    if (entity.platform === Platform.TWITTER) {
      if (body.handle !== undefined) entity.handle = stripAt(body.handle);
      if (body.ingest !== undefined) entity.ingest = body.ingest;
    }
    entity.credentialsCiphertext = this.secrets.sealJson(credentials);
    const saved = await mapConstraintErrors(() => this.repo.save(entity));
    this.directory.invalidate();
    await this.changed(saved);
    return accountView(saved);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', IdPipe) id: string) {
    const account = await this.find(id);
    await mapConstraintErrors(() => this.repo.delete({ id }));
    this.directory.invalidate();
    await this.changed(account, true);
  }
}

const allColumns = {
  id: true,
  platform: true,
  name: true,
  platformAccountId: true,
  handle: true,
  ingest: true,
  createdAt: true,
  updatedAt: true,
} as const;
