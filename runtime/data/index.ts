export * from './schema.ts';
export * from './struct.ts';
export * from './logical.ts';
export * from './headers.ts';
export * from './records.ts';
