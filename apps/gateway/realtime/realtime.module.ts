import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { AuthModule } from '../auth/auth.module';
import { InteractionsModule } from '../interactions/interactions.module';
import { AgentGateway } from './agent.gateway';
import { BusListener } from './bus-listener';
import { SocketRegistry } from './socket-registry';
import { Presence } from './presence';
import { StatsPublisher } from './stats-publisher';
import { StatsModule } from '../stats/stats.module';

@Module({
  imports: [AuthModule, AgentsModule, InteractionsModule, StatsModule],
  providers: [AgentGateway, BusListener, SocketRegistry, StatsPublisher, Presence],
})
export class RealtimeModule {}
