import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags, PartialType } from '@nestjs/swagger';
import { hash } from 'argon2';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsEnum,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
  ArrayNotEmpty,
} from 'class-validator';
import type { DataSource } from 'typeorm';
import { AgentStatus, DEFAULT_AGENT_CAPACITY, Role } from '@switchboard/contracts';
import { publish, UserEntity } from '@switchboard/persistence';
import { Roles } from '../auth/auth.decorators';
import { AuthService } from '../auth/auth.service';
import { LoginThrottle } from '../auth/login-throttle';
import { ApiError } from '../core/api-error';
import { IdPipe } from '../core/id.pipe';
import { DATA_SOURCE } from '../core/tokens';
import { mapConstraintErrors } from './db-errors';
import { assertExisting } from './references';
import { IsSkillMap } from './skills.validator';

class CapacityDto {
  @ApiProperty({ default: 3 }) @IsInt() @Min(0) @Max(50) conversation!: number;
  @ApiProperty({ default: 2 }) @IsInt() @Min(0) @Max(50) directMessage!: number;
}

export class CreateUserDto {
  @ApiProperty({ example: 'alice' })
  @IsString()
  @Matches(/^[a-z0-9._-]{2,50}$/, { message: 'username: 2-50 of a-z, 0-9, . _ -' })
  username!: string;
  @ApiProperty({ minLength: 8 }) @IsString() @MinLength(8) @MaxLength(200) password!: string;
  @ApiProperty({ example: 'Alice Martin' }) @IsString() @MinLength(1) @MaxLength(100) displayName!: string;
  @ApiProperty({ enum: Role, isArray: true, example: ['agent'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsEnum(Role, { each: true })
  roles!: Role[];
  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true })
  workgroupIds?: string[];
  @ApiPropertyOptional({ example: { billing: 3 }, description: 'skill name → level (0-10)' })
  @IsOptional()
  @IsObject()
  @IsSkillMap()
  skills?: Record<string, number>;
  @ApiPropertyOptional({ type: CapacityDto, description: 'simultaneous interactions per type' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CapacityDto)
  capacity?: CapacityDto;
}

class UpdateUserDto extends PartialType(CreateUserDto) {}

export function userView(u: UserEntity) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    roles: u.roles,
    workgroupIds: u.workgroupIds,
    skills: u.skills,
    capacity: u.capacity,
    status: u.status,
    statusChangedAt: u.statusChangedAt.toISOString(),
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

@ApiTags('configuration')
@ApiBearerAuth()
@Roles(Role.ADMIN)
@Controller('api/users')
export class UsersController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly throttle: LoginThrottle,
    private readonly auth: AuthService,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(UserEntity);
  }

  private async find(id: string): Promise<UserEntity> {
    const found = await this.repo.findOneBy({ id });
    if (!found) throw ApiError.notFound('user', id);
    return found;
  }

  @Get()
  async list() {
    return (await this.repo.find({ order: { username: 'ASC' } })).map(userView);
  }

  @Post()
  async create(@Body() body: CreateUserDto) {
    await assertExisting(this.dataSource, 'workgroups', 'workgroupIds', body.workgroupIds ?? []);
    const entity = this.repo.create({
      username: body.username,
      passwordHash: await hash(body.password),
      displayName: body.displayName,
      roles: body.roles,
      workgroupIds: body.workgroupIds ?? [],
      skills: body.skills ?? {},
      capacity: body.capacity ? { ...body.capacity } : { ...DEFAULT_AGENT_CAPACITY },
      status: AgentStatus.OFFLINE,
      statusChangedAt: new Date(),
    });
    const saved = await mapConstraintErrors(() => this.repo.save(entity));
    return userView(await this.find(saved.id));
  }

  @Get(':id')
  async get(@Param('id', IdPipe) id: string) {
    return userView(await this.find(id));
  }

  /**
   * A new password, or a role taken away, ends the user's sessions: the token version moves on and every gateway is
   * told in the same transaction (open sockets close, tokens answer 401). A new password also lifts a login lockout.
   * The row is locked while it changes, so two edits at once cannot write back a version or a role the other changed.
   */
  @Patch(':id')
  async update(@Param('id', IdPipe) id: string, @Body() body: UpdateUserDto) {
    await assertExisting(this.dataSource, 'workgroups', 'workgroupIds', body.workgroupIds ?? []);
    const passwordHash = body.password === undefined ? undefined : await hash(body.password);
    const username = await mapConstraintErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const users = manager.getRepository(UserEntity);
        const entity = await users.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!entity) throw ApiError.notFound('user', id);
        const lostRole = body.roles !== undefined && entity.roles.some((role) => !body.roles?.includes(role));
        if (body.username !== undefined) entity.username = body.username;
        if (passwordHash !== undefined) entity.passwordHash = passwordHash;
        if (body.displayName !== undefined) entity.displayName = body.displayName;
        if (body.roles !== undefined) entity.roles = body.roles;
        if (body.workgroupIds !== undefined) entity.workgroupIds = body.workgroupIds;
        if (body.skills !== undefined) entity.skills = body.skills;
        if (body.capacity !== undefined) entity.capacity = { ...body.capacity };
        if (passwordHash !== undefined || lostRole) entity.tokenVersion += 1;
        await users.save(entity);
        await publish(manager, { kind: 'user', userId: id });
        return entity.username;
      }),
    );
    // This gateway at once (the bus tells the others, and this one again, a moment later).
    this.auth.forget(id);
    if (passwordHash !== undefined) await this.throttle.release(username);
    return userView(await this.find(id));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', IdPipe) id: string) {
    const user = await this.find(id);
    if (user.username === 'admin') throw ApiError.conflict('the admin user cannot be deleted');
    await mapConstraintErrors(() =>
      this.dataSource.transaction(async (manager) => {
        await manager.getRepository(UserEntity).delete({ id });
        await publish(manager, { kind: 'user', userId: id });
      }),
    );
    this.auth.forget(id);
  }
}
