import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Role } from '@switchboard/contracts';
import { TREND_MAX_MINUTES, TREND_MAX_SAMPLES } from '@switchboard/reporting';
import { Roles } from '../auth/auth.decorators';
import { ApiError } from '../core/api-error';
import { StatsService } from './stats.service';

class TrendQueryDto {
  @ApiPropertyOptional({ default: 60, minimum: 1, maximum: TREND_MAX_MINUTES, description: 'how far back' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(TREND_MAX_MINUTES)
  minutes?: number;
  @ApiPropertyOptional({ default: 60, minimum: 1, maximum: 3600, description: 'seconds between samples' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  stepSeconds?: number;
}

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

  @Get('trend')
  @Roles(Role.SUPERVISOR, Role.ADMIN)
  @ApiOkResponse({
    description:
      'The dashboard charts for a page that opens now: per workgroup, a sample every `stepSeconds` over the last `minutes` ' +
      "(and one now) of `waiting` and today's `serviceLevelPercent` as the live statistics showed them then.",
  })
  @ApiForbiddenResponse({ description: 'agents only see their own work' })
  trend(@Query() query: TrendQueryDto) {
    const minutes = query.minutes ?? 60;
    const stepSeconds = query.stepSeconds ?? 60;
    if ((minutes * 60) / stepSeconds > TREND_MAX_SAMPLES) {
      throw ApiError.badRequest('invalid stepSeconds', [
        { field: 'stepSeconds', message: `at most ${TREND_MAX_SAMPLES} samples: minutes × 60 ÷ stepSeconds` },
      ]);
    }
    return this.stats.trend(minutes, stepSeconds);
  }
}
