import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { IngestModule } from '../ingest/ingest.module';
import { AccountsController } from './accounts.controller';
import { ChannelsController } from './channels.controller';
import { StandardResponsesController } from './standard-responses.controller';
import { UsersController } from './users.controller';
import { WorkgroupsController } from './workgroups.controller';
import { WrapUpCodesController } from './wrapup-codes.controller';

@Module({
  imports: [IngestModule, AuthModule],
  controllers: [
    AccountsController,
    ChannelsController,
    StandardResponsesController,
    UsersController,
    WorkgroupsController,
    WrapUpCodesController,
  ],
})
export class ConfigApiModule {}
