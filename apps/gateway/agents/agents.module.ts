import { Module } from '@nestjs/common';
import { AgentsController } from './agents.controller';
import { AgentsService } from './agents.service';
import { DirectoryController } from './directory.controller';

@Module({ controllers: [AgentsController, DirectoryController], providers: [AgentsService], exports: [AgentsService] })
export class AgentsModule {}
