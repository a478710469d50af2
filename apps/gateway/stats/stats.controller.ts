import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role } from '@switchboard/contracts';
import { Roles } from '../auth/auth.decorators';
import { StatsService } from './stats.service';

@ApiTags('statistics')
@ApiBearerAuth()
@Controller('api/stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('realtime')
  @Roles(Role.SUPERVISOR, Role.ADMIN)
  @ApiOkResponse({
    description:
      'Longest Social Conversation / Direct Message (seconds since the oldest active one was first queued), Active ' +
      'Social Conversations / Direct Messages, and per workgroup: waiting, longest wait, agents available and busy, ' +
      'answered and abandoned today, average speed of answer and service level today (REPORT_TIME_ZONE). Ratios ' +
      'over no answered interaction are null. The same object is pushed to supervisors as `stats` frames.',
  })
  @ApiForbiddenResponse({ description: 'agents only see their own work' })
  realtime() {
    return this.stats.realtime();
  }
}
