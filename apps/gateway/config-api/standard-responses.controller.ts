import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags, PartialType } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import type { DataSource } from 'typeorm';
import { Role } from '@switchboard/contracts';
import { StandardResponseEntity } from '@switchboard/persistence';
import { Roles } from '../auth/auth.decorators';
import { ApiError } from '../core/api-error';
import { IdPipe } from '../core/id.pipe';
import { DATA_SOURCE } from '../core/tokens';
import { mapConstraintErrors } from './db-errors';
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

  private get repo() {
    return this.dataSource.getRepository(StandardResponseEntity);
  }

  private async find(id: string): Promise<StandardResponseEntity> {
    const found = await this.repo.findOneBy({ id });
    if (!found) throw ApiError.notFound('standard response', id);
    return found;
  }

  @Get()
  @Roles(Role.ADMIN, Role.SUPERVISOR, Role.AGENT)
  async list() {
    return (await this.repo.find({ order: { title: 'ASC' } })).map(standardResponseView);
  }

  @Post()
  async create(@Body() body: CreateStandardResponseDto) {
    await assertExisting(this.dataSource, 'workgroups', 'workgroupIds', body.workgroupIds ?? []);
    const entity = this.repo.create({ title: body.title, text: body.text, workgroupIds: body.workgroupIds ?? [] });
    return standardResponseView(await mapConstraintErrors(() => this.repo.save(entity)));
  }

  @Get(':id')
  @Roles(Role.ADMIN, Role.SUPERVISOR, Role.AGENT)
  async get(@Param('id', IdPipe) id: string) {
    return standardResponseView(await this.find(id));
  }

  @Patch(':id')
  async update(@Param('id', IdPipe) id: string, @Body() body: UpdateStandardResponseDto) {
    const entity = await this.find(id);
    await assertExisting(this.dataSource, 'workgroups', 'workgroupIds', body.workgroupIds ?? []);
    if (body.title !== undefined) entity.title = body.title;
    if (body.text !== undefined) entity.text = body.text;
    if (body.workgroupIds !== undefined) entity.workgroupIds = body.workgroupIds;
    return standardResponseView(await mapConstraintErrors(() => this.repo.save(entity)));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', IdPipe) id: string) {
    await this.find(id);
    await this.repo.delete({ id });
  }
}
