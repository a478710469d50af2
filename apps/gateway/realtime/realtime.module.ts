import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { AuthModule } from '../auth/auth.module';
import { InteractionsModule } from '../interactions/interactions.module';
import { AgentGateway } from './agent.gateway';
import { BusListener } from './bus-listener';
import { SocketRegistry } from './socket-registry';

@Module({
  imports: [AuthModule, AgentsModule, InteractionsModule],
  providers: [AgentGateway, BusListener, SocketRegistry],
})
export class RealtimeModule {}
