import { Module } from '@nestjs/common';
import { ReportsController } from '../reports/reports.controller';
import { ReportsPool } from '../reports/reports-pool';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

/** Supervisors' figures: the live statistics and the historical reports. */
@Module({
  controllers: [StatsController, ReportsController],
  providers: [StatsService, ReportsPool],
  exports: [StatsService],
})
export class StatsModule {}
