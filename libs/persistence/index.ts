export * from './bus';
export * from './credentials';
export * from './data-source';
export * from './entities';
export * from './secret-box';
export * from './sql';
