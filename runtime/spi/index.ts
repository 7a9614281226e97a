export type * from './connector.ts';
export type * from './source.ts';
export type * from './sink.ts';
export type * from './transformation.ts';
export type * from './converter.ts';
export type * from './metrics.ts';
