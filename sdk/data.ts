/**
 * Connect data, part of `tributary/sdk`: {@link Schema}/{@link SchemaBuilder}/{@link Struct},
 * logical types, headers and records. A module of its own so a built-in connector can import the
 * data model without loading the SDK's helper classes.
 */
export * from '../runtime/data/index.ts';
