import { Module } from '@nestjs/common';
import { StatsModule } from '../stats/stats.module';
import { OpsController } from './ops.controller';
import { WorkgroupGauges } from './workgroup-gauges';

@Module({ imports: [StatsModule], controllers: [OpsController], providers: [WorkgroupGauges] })
export class OpsModule {}
