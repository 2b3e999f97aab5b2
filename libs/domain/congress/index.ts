export * from './congress';
export * from './model';
export * from './normalise';
export * from './preview';
export * from './views';
