import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsEnum } from 'class-validator';
import { AgentStatus, Role } from '@switchboard/contracts';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { AgentsService } from './agents.service';

export class StatusDto {
  @ApiProperty({ enum: AgentStatus }) @IsEnum(AgentStatus) status!: AgentStatus;
}

@ApiTags('agents')
@ApiBearerAuth()
@Controller('api/agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

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
  async list() {
    return this.agents.list();
  }
}
