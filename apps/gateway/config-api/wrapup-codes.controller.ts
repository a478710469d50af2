import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags, PartialType } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import type { DataSource } from 'typeorm';
import { Role } from '@switchboard/contracts';
import { WrapUpCodeEntity } from '@switchboard/persistence';
import { Roles } from '../auth/auth.decorators';
import { ApiError } from '../core/api-error';
import { IdPipe } from '../core/id.pipe';
import { DATA_SOURCE } from '../core/tokens';
import { mapConstraintErrors } from './db-errors';
import { assertExisting } from './references';

export class CreateWrapUpCodeDto {
  @ApiProperty({ example: 'resolved' })
  @IsString()
  @Matches(/^[\w.-]{1,50}$/, { message: 'code: 1-50 letters, digits, _ . -' })
  code!: string;
  @ApiProperty({ example: 'Resolved' }) @IsString() @MinLength(1) @MaxLength(100) label!: string;
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'empty: offered in every workgroup' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true })
  workgroupIds?: string[];
}

class UpdateWrapUpCodeDto extends PartialType(CreateWrapUpCodeDto) {}

export function wrapUpCodeView(c: WrapUpCodeEntity) {
  return {
    id: c.id,
    code: c.code,
    label: c.label,
    workgroupIds: c.workgroupIds,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

@ApiTags('configuration')
@ApiBearerAuth()
@Roles(Role.ADMIN)
@Controller('api/wrapup-codes')
export class WrapUpCodesController {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(WrapUpCodeEntity);
  }

  private async find(id: string): Promise<WrapUpCodeEntity> {
    const found = await this.repo.findOneBy({ id });
    if (!found) throw ApiError.notFound('wrap-up code', id);
    return found;
  }

  /** Agents read the codes too, to pick one at wrap-up. */
  @Get()
  @Roles(Role.ADMIN, Role.SUPERVISOR, Role.AGENT)
  async list() {
    return (await this.repo.find({ order: { code: 'ASC' } })).map(wrapUpCodeView);
  }

  @Post()
  async create(@Body() body: CreateWrapUpCodeDto) {
    await assertExisting(this.dataSource, 'workgroups', 'workgroupIds', body.workgroupIds ?? []);
    const entity = this.repo.create({ code: body.code, label: body.label, workgroupIds: body.workgroupIds ?? [] });
    return wrapUpCodeView(await mapConstraintErrors(() => this.repo.save(entity)));
  }

  @Get(':id')
  @Roles(Role.ADMIN, Role.SUPERVISOR, Role.AGENT)
  async get(@Param('id', IdPipe) id: string) {
    return wrapUpCodeView(await this.find(id));
  }

  @Patch(':id')
  async update(@Param('id', IdPipe) id: string, @Body() body: UpdateWrapUpCodeDto) {
    const entity = await this.find(id);
    await assertExisting(this.dataSource, 'workgroups', 'workgroupIds', body.workgroupIds ?? []);
    if (body.code !== undefined) entity.code = body.code;
    if (body.label !== undefined) entity.label = body.label;
    if (body.workgroupIds !== undefined) entity.workgroupIds = body.workgroupIds;
    return wrapUpCodeView(await mapConstraintErrors(() => this.repo.save(entity)));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', IdPipe) id: string) {
    await this.find(id);
    await this.repo.delete({ id });
  }
}
