export * from './dispatcher';
export * from './interaction-events';
export * from './interaction-lifecycle';
export * from './reply-rules';
export * from './reply-sender';
export * from './temporal-offer-sink';
export * from './threads';
export * from './standard-responses';
