export * from './domain';
export * from './realtime';
export * from './temporal';
