export * from './adapter';
export * from './config-reader';
export * from './http';
export * from './records';
