import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
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
import { WorkgroupEntity } from '@switchboard/persistence';
import { Roles } from '../auth/auth.decorators';
import { ApiError } from '../core/api-error';
import { IdPipe } from '../core/id.pipe';
import { DATA_SOURCE } from '../core/tokens';
import { EntityStore } from './entity-store';
import { assertExisting } from './references';

class OverflowDto {
  @ApiProperty({
    description:
      "seconds a queued interaction waits in this workgroup's queue before it moves to the overflow workgroup's " +
      '(keeping its age there)',
  })
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  afterSeconds!: number;
  @ApiProperty({ format: 'uuid' }) @IsUUID() workgroupId!: string;
}

export class CreateWorkgroupDto {
  @ApiProperty({ example: 'Social Care' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiPropertyOptional({ default: 30, description: 'seconds an agent has to accept an offer' })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(3600)
  acceptTimeoutSeconds?: number;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() wrapUpRequired?: boolean;
  @ApiPropertyOptional({ default: 120, nullable: true, description: 'null: wrap-up waits for the agent' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86400)
  wrapUpTimeoutSeconds?: number | null;
  @ApiPropertyOptional({ default: 300, description: 'answered within this many seconds counts toward service level' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  serviceLevelSeconds?: number;
  @ApiPropertyOptional({ type: OverflowDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => OverflowDto)
  overflow?: OverflowDto | null;
}

class UpdateWorkgroupDto extends PartialType(CreateWorkgroupDto) {}

export function workgroupView(w: WorkgroupEntity) {
  return {
    id: w.id,
    name: w.name,
    acceptTimeoutSeconds: w.acceptTimeoutSeconds,
    wrapUpRequired: w.wrapUpRequired,
    wrapUpTimeoutSeconds: w.wrapUpTimeoutSeconds,
    serviceLevelSeconds: w.serviceLevelSeconds,
    overflow:
      w.overflowWorkgroupId && w.overflowAfterSeconds
        ? { afterSeconds: w.overflowAfterSeconds, workgroupId: w.overflowWorkgroupId }
        : null,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}

@ApiTags('configuration')
@ApiBearerAuth()
@Roles(Role.ADMIN)
@Controller('api/workgroups')
export class WorkgroupsController {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  private get store() {
    return new EntityStore(this.dataSource.getRepository(WorkgroupEntity), 'workgroup');
  }

  @Get()
  @Roles(Role.ADMIN, Role.SUPERVISOR)
  async list() {
    return (await this.store.list({ name: 'ASC' })).map(workgroupView);
  }

  @Post()
  async create(@Body() body: CreateWorkgroupDto) {
    await assertExisting(this.dataSource, 'workgroups', 'overflow.workgroupId', [body.overflow?.workgroupId]);
    const created = await this.store.create({
      name: body.name,
      acceptTimeoutSeconds: body.acceptTimeoutSeconds ?? 30,
      wrapUpRequired: body.wrapUpRequired ?? false,
      wrapUpTimeoutSeconds: body.wrapUpTimeoutSeconds === undefined ? 120 : body.wrapUpTimeoutSeconds,
      serviceLevelSeconds: body.serviceLevelSeconds ?? 300,
      overflowAfterSeconds: body.overflow?.afterSeconds ?? null,
      overflowWorkgroupId: body.overflow?.workgroupId ?? null,
    });
    return workgroupView(created);
  }

  @Get(':id')
  @Roles(Role.ADMIN, Role.SUPERVISOR)
  async get(@Param('id', IdPipe) id: string) {
    return workgroupView(await this.store.find(id));
  }

  @Patch(':id')
  async update(@Param('id', IdPipe) id: string, @Body() body: UpdateWorkgroupDto) {
    if (body.overflow?.workgroupId === id) {
      throw ApiError.badRequest('invalid overflow.workgroupId', [
        { field: 'overflow.workgroupId', message: 'a workgroup cannot overflow into itself' },
      ]);
    }
    await assertExisting(this.dataSource, 'workgroups', 'overflow.workgroupId', [body.overflow?.workgroupId]);
    const updated = await this.store.update(id, {
      name: body.name,
      acceptTimeoutSeconds: body.acceptTimeoutSeconds,
      wrapUpRequired: body.wrapUpRequired,
      wrapUpTimeoutSeconds: body.wrapUpTimeoutSeconds,
      serviceLevelSeconds: body.serviceLevelSeconds,
      ...(body.overflow === undefined
        ? {}
        : {
            overflowAfterSeconds: body.overflow?.afterSeconds ?? null,
            overflowWorkgroupId: body.overflow?.workgroupId ?? null,
          }),
    });
    return workgroupView(updated);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', IdPipe) id: string) {
    await this.store.remove(id);
  }
}
