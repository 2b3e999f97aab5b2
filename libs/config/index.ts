export * from './env';
export * from './temporal-connection';
