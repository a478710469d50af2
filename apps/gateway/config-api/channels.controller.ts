import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import type { DataSource } from 'typeorm';
import { InteractionType, Role } from '@switchboard/contracts';
import type { ChannelWeighing, KeywordVerdict } from '@switchboard/routing';
import { ChannelEntity, queryRows } from '@switchboard/persistence';
import { MessageRouter, type ChannelRow } from '@switchboard/ingest';
import { Roles } from '../auth/auth.decorators';
import { ApiError } from '../core/api-error';
import { IdPipe } from '../core/id.pipe';
import { DATA_SOURCE } from '../core/tokens';
import { EntityStore } from './entity-store';
import { assertExisting } from './references';
import { IsSkillMap } from './skills.validator';

class KeywordsDto {
  @ApiPropertyOptional({ type: [String], description: 'at least one must appear' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  any?: string[];
  @ApiPropertyOptional({ type: [String], description: 'all must appear' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  all?: string[];
  @ApiPropertyOptional({ type: [String], description: 'none may appear' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  none?: string[];
}

export class CreateChannelDto {
  @ApiProperty({ example: 'Acme care' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsUUID('all', { each: true })
  accountIds!: string[];
  @ApiPropertyOptional({
    type: KeywordsDto,
    description: 'whole words, case- and accent-insensitive; #tags and @mentions',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => KeywordsDto)
  keywords?: KeywordsDto;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'workgroup for public posts, comments, tweets' })
  @IsOptional()
  @IsUUID()
  publicWorkgroupId?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'workgroup for Messenger and X DMs' })
  @IsOptional()
  @IsUUID()
  privateWorkgroupId?: string | null;
  @ApiPropertyOptional({ default: 0, description: 'higher wins among matching channels; also the queue priority' })
  @IsOptional()
  @IsInt()
  @Min(-1000)
  @Max(1000)
  priority?: number;
  @ApiPropertyOptional({ example: { billing: 3 }, description: 'minimum skill levels an agent needs' })
  @IsOptional()
  @IsObject()
  @IsSkillMap()
  skills?: Record<string, number>;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
}

class UpdateChannelDto extends PartialType(CreateChannelDto) {}

export function channelView(c: ChannelEntity) {
  return {
    id: c.id,
    name: c.name,
    accountIds: c.accountIds,
    keywords: c.keywords,
    publicWorkgroupId: c.publicWorkgroupId,
    privateWorkgroupId: c.privateWorkgroupId,
    priority: c.priority,
    skills: c.skills,
    enabled: c.enabled,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

class PreviewDto {
  @ApiProperty({ format: 'uuid', description: 'the account the message would arrive on' }) @IsUUID() accountId!: string;
  @ApiProperty({ example: 'Where is my order?' }) @IsString() @MaxLength(10000) text!: string;
  @ApiProperty({ enum: InteractionType, description: 'conversation: a public post, comment or tweet; directMessage' })
  @IsEnum(InteractionType)
  type!: InteractionType;
}

/** A channel's verdict in words, as the preview shows it. */
function because(weighing: ChannelWeighing<ChannelRow>, type: InteractionType) {
  const k: KeywordVerdict = weighing.keywords;
  if (!weighing.workgroupId) {
    return `has no workgroup for ${type === InteractionType.CONVERSATION ? 'public' : 'private'} messages`;
  }
  if (k.refusedBy.length > 0) return `refused by ${k.refusedBy.map((w) => `"${w}"`).join(', ')} (none)`;
  if (k.missingAll.length > 0) return `lacks ${k.missingAll.map((w) => `"${w}"`).join(', ')} (all)`;
  if (!k.passes) return `has none of ${weighing.channel.keywords.any.map((w) => `"${w}"`).join(', ')} (any)`;
  const matched = [...k.matchedAny, ...k.matchedAll];
  return matched.length > 0
    ? `takes it: ${matched.map((w) => `"${w}"`).join(', ')} matched`
    : 'takes it: no keywords to pass';
}

const keywordsOf = (dto: KeywordsDto | undefined) => ({
  any: dto?.any ?? [],
  all: dto?.all ?? [],
  none: dto?.none ?? [],
});

@ApiTags('configuration')
@ApiBearerAuth()
@Roles(Role.ADMIN)
@Controller('api/channels')
export class ChannelsController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly router: MessageRouter,
  ) {}

  private get store() {
    return new EntityStore(this.dataSource.getRepository(ChannelEntity), 'channel');
  }

  private async checkReferences(body: Partial<CreateChannelDto>): Promise<void> {
    await assertExisting(this.dataSource, 'accounts', 'accountIds', body.accountIds ?? []);
    await assertExisting(this.dataSource, 'workgroups', 'publicWorkgroupId', [body.publicWorkgroupId]);
    await assertExisting(this.dataSource, 'workgroups', 'privateWorkgroupId', [body.privateWorkgroupId]);
  }

  @Get()
  async list() {
    return (await this.store.list({ priority: 'DESC', createdAt: 'ASC' })).map(channelView);
  }

  @Post()
  async create(@Body() body: CreateChannelDto) {
    await this.checkReferences(body);
    if (!body.publicWorkgroupId && !body.privateWorkgroupId) {
      throw ApiError.badRequest('invalid publicWorkgroupId, privateWorkgroupId', [
        { field: 'publicWorkgroupId', message: 'a channel needs at least one workgroup' },
      ]);
    }
    const created = await this.store.create({
      name: body.name,
      accountIds: body.accountIds,
      keywords: keywordsOf(body.keywords),
      publicWorkgroupId: body.publicWorkgroupId ?? null,
      privateWorkgroupId: body.privateWorkgroupId ?? null,
      priority: body.priority ?? 0,
      skills: body.skills ?? {},
      enabled: body.enabled ?? true,
    });
    this.router.invalidateChannels();
    return channelView(created);
  }

  @Get(':id')
  async get(@Param('id', IdPipe) id: string) {
    return channelView(await this.store.find(id));
  }

  /**
   * Which channel would take such a message, and why: the router's own weighing on the channels as they stand now.
   */
  @Post('preview')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      '`outcome` routed / filtered (channels exist, none takes it) / unrouted (no enabled channel); the winning ' +
      '`channel` and `workgroup`; each enabled channel of the account in the order weighed, with the keywords that ' +
      'matched, are missing or refuse it, and `reason` in words',
  })
  async preview(@Body() body: PreviewDto) {
    await assertExisting(this.dataSource, 'accounts', 'accountId', [body.accountId]);
    const { decision, weighed } = await this.router.preview(body.accountId, body.type, body.text);
    const names = await queryRows<{ id: string; name: string }>(this.dataSource, 'SELECT id, name FROM workgroups');
    const workgroupName = (id: string | null) => names.find((w) => w.id === id)?.name ?? null;
    return {
      outcome: decision.kind === 'route' ? 'routed' : decision.kind,
      channel: decision.kind === 'route' ? { id: decision.channel.id, name: decision.channel.name } : null,
      workgroup:
        decision.kind === 'route' ? { id: decision.workgroupId, name: workgroupName(decision.workgroupId) } : null,
      channels: weighed.map((w) => ({
        id: w.channel.id,
        name: w.channel.name,
        priority: w.channel.priority,
        workgroupId: w.workgroupId,
        workgroupName: workgroupName(w.workgroupId),
        takes: w.takes,
        wins: decision.kind === 'route' && decision.channel.id === w.channel.id,
        keywords: {
          matchedAny: w.keywords.matchedAny,
          matchedAll: w.keywords.matchedAll,
          missingAll: w.keywords.missingAll,
          refusedBy: w.keywords.refusedBy,
        },
        reason: because(w, body.type),
      })),
    };
  }

  @Patch(':id')
  async update(@Param('id', IdPipe) id: string, @Body() body: UpdateChannelDto) {
    await this.checkReferences(body);
    const current = await this.store.find(id);
    const pub = body.publicWorkgroupId === undefined ? current.publicWorkgroupId : body.publicWorkgroupId;
    const priv = body.privateWorkgroupId === undefined ? current.privateWorkgroupId : body.privateWorkgroupId;
    if (!pub && !priv) {
      throw ApiError.badRequest('invalid publicWorkgroupId, privateWorkgroupId', [
        { field: 'publicWorkgroupId', message: 'a channel needs at least one workgroup' },
        { field: 'privateWorkgroupId', message: 'a channel needs at least one workgroup' },
      ]);
    }
    const updated = await this.store.update(id, {
      name: body.name,
      accountIds: body.accountIds,
      keywords: body.keywords && keywordsOf(body.keywords),
      publicWorkgroupId: body.publicWorkgroupId,
      privateWorkgroupId: body.privateWorkgroupId,
      priority: body.priority,
      skills: body.skills,
      enabled: body.enabled,
    });
    this.router.invalidateChannels();
    return channelView(updated);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', IdPipe) id: string) {
    await this.store.remove(id);
    this.router.invalidateChannels();
  }
}
