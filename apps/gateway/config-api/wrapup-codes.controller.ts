import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags, PartialType } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import type { DataSource } from 'typeorm';
import { Role } from '@switchboard/contracts';
import { WrapUpCodeEntity } from '@switchboard/persistence';
import { Roles } from '../auth/auth.decorators';
import { IdPipe } from '../core/id.pipe';
import { DATA_SOURCE } from '../core/tokens';
import { EntityStore } from './entity-store';
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

  private get store() {
    return new EntityStore(this.dataSource.getRepository(WrapUpCodeEntity), 'wrap-up code');
  }

  /** Agents read the codes too, to pick one at wrap-up. */
  @Get()
  @Roles(Role.ADMIN, Role.SUPERVISOR, Role.AGENT)
  async list() {
    return (await this.store.list({ code: 'ASC' })).map(wrapUpCodeView);
  }

  @Post()
  async create(@Body() body: CreateWrapUpCodeDto) {
    await assertExisting(this.dataSource, 'workgroups', 'workgroupIds', body.workgroupIds ?? []);
    return wrapUpCodeView(
      await this.store.create({ code: body.code, label: body.label, workgroupIds: body.workgroupIds ?? [] }),
    );
  }

  @Get(':id')
  @Roles(Role.ADMIN, Role.SUPERVISOR, Role.AGENT)
  async get(@Param('id', IdPipe) id: string) {
    return wrapUpCodeView(await this.store.find(id));
  }

  @Patch(':id')
  async update(@Param('id', IdPipe) id: string, @Body() body: UpdateWrapUpCodeDto) {
    await assertExisting(this.dataSource, 'workgroups', 'workgroupIds', body.workgroupIds ?? []);
    return wrapUpCodeView(
      await this.store.update(id, { code: body.code, label: body.label, workgroupIds: body.workgroupIds }),
    );
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', IdPipe) id: string) {
    await this.store.remove(id);
  }
}
