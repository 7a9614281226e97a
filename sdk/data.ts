/**
 * Connect data, part of `tributary/sdk`: {@link Schema}/{@link SchemaBuilder}/{@link Struct},
 * logical types, headers and records. A module of its own so a built-in connector can import the
 * data model without loading the SDK's helper classes.
 */
export * from '../runtime/data/schema.ts';
export * from '../runtime/data/struct.ts';
export * from '../runtime/data/logical.ts';
export * from '../runtime/data/headers.ts';
export * from '../runtime/data/records.ts';
