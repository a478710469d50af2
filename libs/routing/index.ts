export * from './channel-selector';
export * from './keyword-matcher';
