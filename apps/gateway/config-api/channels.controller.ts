import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
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
import { Role } from '@switchboard/contracts';
import { ChannelEntity } from '@switchboard/persistence';
import { MessageRouter } from '@switchboard/ingest';
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

  @Patch(':id')
  async update(@Param('id', IdPipe) id: string, @Body() body: UpdateChannelDto) {
    await this.checkReferences(body);
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
