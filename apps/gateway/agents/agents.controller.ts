import { Body, Controller, Get, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsEnum } from 'class-validator';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@switchboard/config';
import { AgentStatus, Role } from '@switchboard/contracts';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { IdPipe } from '../core/id.pipe';
import { CONFIG, DATA_SOURCE } from '../core/tokens';
import { RangeDto, readRange } from '../reports/report-range';
import { AgentsService } from './agents.service';

export class StatusDto {
  @ApiProperty({ enum: AgentStatus }) @IsEnum(AgentStatus) status!: AgentStatus;
}

@ApiTags('agents')
@ApiBearerAuth()
@Controller('api/agents')
export class AgentsController {
  constructor(
    private readonly agents: AgentsService,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  @Put('me/status')
  async setStatus(@CurrentUser() user: Principal, @Body() body: StatusDto) {
    return this.agents.setStatus(user, body.status);
  }

  @Get('me')
  async me(@CurrentUser() user: Principal) {
    return this.agents.get(user.id);
  }

  @Get()
  @Roles(Role.SUPERVISOR, Role.ADMIN)
  @ApiOkResponse({
    description: 'agents with `status`, `statusChangedAt` (since when), their interactions and `current` per type',
  })
  async list() {
    return this.agents.list();
  }

  @Get(':id/status-history')
  @Roles(Role.SUPERVISOR, Role.ADMIN)
  @ApiOkResponse({
    description:
      "the agent's statuses that overlap the range, oldest first: `status`, `startedAt`, `endedAt` (null: now)",
  })
  async statusHistory(@Param('id', IdPipe) id: string, @Query() query: RangeDto) {
    const range = await readRange(this.dataSource, this.config.reportTimeZone, query.from, query.to);
    return this.agents.statusHistory(id, range.from, range.to);
  }
}
