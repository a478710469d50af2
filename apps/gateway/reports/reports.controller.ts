import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiParam,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import type { DataSource } from 'typeorm';
import { Role } from '@switchboard/contracts';
import type { AppConfig } from '@switchboard/config';
import type { Logger } from '@switchboard/observability';
import {
  bucketCount,
  MAX_BUCKETS,
  REPORT_INTERVALS,
  REPORT_KINDS,
  reportSpec,
  type ReportInterval,
  type ReportKind,
} from '@switchboard/reporting';
import { Roles } from '../auth/auth.decorators';
import { ApiError } from '../core/api-error';
import { CONFIG, DATA_SOURCE, LOGGER } from '../core/tokens';
import { RangeDto, readRange } from './report-range';
import { ReportsPool } from './reports-pool';
import { streamReport } from './report-stream';

class ReportQueryDto extends RangeDto {
  @ApiPropertyOptional({
    enum: REPORT_INTERVALS,
    description: 'one row per interval (and workgroup or agent); default one for the whole range',
  })
  @IsOptional()
  @IsIn(REPORT_INTERVALS)
  interval?: ReportInterval;
  @ApiPropertyOptional({ format: 'uuid', description: 'only this workgroup' })
  @IsOptional()
  @IsUUID()
  workgroupId?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

/** `workgroups-2026-11-01-2026-12-01.csv`, dates in the report's zone. */
function csvName(kind: string, range: { from: Date; to: Date }, config: AppConfig): string {
  const day = (date: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: config.reportTimeZone }).format(date);
  return `${kind}-${day(range.from)}-${day(range.to)}.csv`;
}

@ApiTags('reports')
@ApiBearerAuth()
@Roles(Role.SUPERVISOR, Role.ADMIN)
@Controller('api/reports')
export class ReportsController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly reports: ReportsPool,
  ) {}

  @Get(':kind')
  @ApiParam({ name: 'kind', enum: REPORT_KINDS })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      'interactions: one row per interaction created in the range; workgroups and agents: one row per interval and ' +
      'workgroup / agent; wrapup-codes: counts per code and workgroup. JSON is an array of rows; CSV has a header ' +
      'row with the same names. Both are streamed from a database cursor.',
  })
  @ApiBadRequestResponse({ description: 'from, to, interval, workgroupId or format invalid (named)' })
  async report(@Param('kind') kind: string, @Query() query: ReportQueryDto, @Res() response: Response): Promise<void> {
    if (!(REPORT_KINDS as readonly string[]).includes(kind)) throw ApiError.notFound('report', kind);
    const range = await readRange(this.dataSource, this.config.reportTimeZone, query.from, query.to);
    const interval = query.interval ?? null;
    if (bucketCount(range.from, range.to, interval) > MAX_BUCKETS) {
      throw ApiError.badRequest('invalid interval', [
        {
          field: 'interval',
          message: `more than ${MAX_BUCKETS} intervals: choose a longer interval or a shorter range`,
        },
      ]);
    }
    const format = query.format ?? 'json';
    const spec = reportSpec(kind as ReportKind, interval);
    const client = await this.reports.pool.connect().catch(() => {
      throw ApiError.unavailable('every report connection is busy; try again in a moment');
    });
    const begin = () => {
      response.status(200);
      if (format === 'csv') response.type('text/csv; charset=utf-8').attachment(csvName(kind, range, this.config));
      else response.type('application/json');
    };
    try {
      await streamReport(
        client,
        spec,
        [range.from, range.to, this.config.reportTimeZone, query.workgroupId ?? null],
        format,
        response,
        begin,
      );
      client.release();
    } catch (error) {
      client.release(true);
      if (response.destroyed || response.writableEnded) {
        this.logger.debug({ err: error, kind }, 'report stopped: the client went away');
        return;
      }
      this.logger.error({ err: error, kind }, 'report failed');
      if (!response.headersSent) response.status(500).json({ error: 'the report failed', details: [] });
      else response.destroy();
    }
  }
}
