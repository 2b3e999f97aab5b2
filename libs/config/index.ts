export * from './env';
export * from './log-format';
export * from './temporal-connection';
