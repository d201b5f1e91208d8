export * from './adapter';
export * from './http';
export * from './records';
