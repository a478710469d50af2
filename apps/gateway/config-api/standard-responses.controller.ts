import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags, PartialType } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import type { DataSource } from 'typeorm';
import { Role } from '@switchboard/contracts';
import { StandardResponseEntity } from '@switchboard/persistence';
import { Roles } from '../auth/auth.decorators';
import { IdPipe } from '../core/id.pipe';
import { DATA_SOURCE } from '../core/tokens';
import { EntityStore } from './entity-store';
import { assertExisting } from './references';

export class CreateStandardResponseDto {
  @ApiProperty({ example: 'Apology' }) @IsString() @MinLength(1) @MaxLength(100) title!: string;
  @ApiProperty({ example: 'Sorry about that, {{customer.name}}. {{agent.name}} here, let me check.' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  text!: string;
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'empty: offered in every workgroup' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true })
  workgroupIds?: string[];
}

class UpdateStandardResponseDto extends PartialType(CreateStandardResponseDto) {}

export function standardResponseView(r: StandardResponseEntity) {
  return {
    id: r.id,
    title: r.title,
    text: r.text,
    workgroupIds: r.workgroupIds,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

@ApiTags('configuration')
@ApiBearerAuth()
@Roles(Role.ADMIN)
@Controller('api/standard-responses')
export class StandardResponsesController {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  private get store() {
    return new EntityStore(this.dataSource.getRepository(StandardResponseEntity), 'standard response');
  }

  @Get()
  @Roles(Role.ADMIN, Role.SUPERVISOR, Role.AGENT)
  async list() {
    return (await this.store.list({ title: 'ASC' })).map(standardResponseView);
  }

  @Post()
  async create(@Body() body: CreateStandardResponseDto) {
    await assertExisting(this.dataSource, 'workgroups', 'workgroupIds', body.workgroupIds ?? []);
    return standardResponseView(
      await this.store.create({ title: body.title, text: body.text, workgroupIds: body.workgroupIds ?? [] }),
    );
  }

  @Get(':id')
  @Roles(Role.ADMIN, Role.SUPERVISOR, Role.AGENT)
  async get(@Param('id', IdPipe) id: string) {
    return standardResponseView(await this.store.find(id));
  }

  @Patch(':id')
  async update(@Param('id', IdPipe) id: string, @Body() body: UpdateStandardResponseDto) {
    await assertExisting(this.dataSource, 'workgroups', 'workgroupIds', body.workgroupIds ?? []);
    return standardResponseView(
      await this.store.update(id, { title: body.title, text: body.text, workgroupIds: body.workgroupIds }),
    );
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', IdPipe) id: string) {
    await this.store.remove(id);
  }
}
