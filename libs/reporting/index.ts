export * from './figures';
export * from './realtime-stats';
export * from './report-params';
export * from './reports';
export * from './stats-trend';
