import { Module } from '@nestjs/common';
import { AccountDirectory } from './account-directory';
import { IngestService } from './ingest.service';
import { MessageRouter } from './message-router';

@Module({
  providers: [AccountDirectory, IngestService, MessageRouter],
  exports: [AccountDirectory, IngestService, MessageRouter],
})
export class IngestModule {}
