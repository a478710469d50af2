export * from './facebook/facebook-graph.client';
export * from './facebook/facebook-webhook.parser';
export * from './platform-ids';
export * from './signatures';
export * from './twitter/twitter-v2.normalizer';
export * from './twitter/twitter-webhook.parser';
export * from './twitter/twitter.client';
export * from './types';
