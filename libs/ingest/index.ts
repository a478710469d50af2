export * from './ingest-pipeline';
export * from './message-router';
export * from './message-store';
export * from './profile-enricher';
export * from './work-queue';
export * from './x-poller';
export * from './x-poller-control';
