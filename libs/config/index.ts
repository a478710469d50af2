export * from './app-config';
export * from './repo-root';
