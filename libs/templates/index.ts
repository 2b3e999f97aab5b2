export * from './congress-template';
export * from './template-files';
