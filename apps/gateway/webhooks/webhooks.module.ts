import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module';
import { WebhooksController } from './webhooks.controller';

@Module({
  imports: [IngestModule],
  controllers: [WebhooksController],
})
export class WebhooksModule {}
