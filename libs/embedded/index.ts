export * from './embedded-postgres';
export * from './embedded-temporal';
export * from './free-port';
export * from './temporal-cli';
