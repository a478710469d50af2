export * from './core-providers';
export * from './tokens';
