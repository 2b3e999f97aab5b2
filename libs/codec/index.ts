export * from './aes-gcm.codec';
export * from './data-converter';
export * from './encryption-keys';
export * from './remote-codec';
export * from './local-key-file';
