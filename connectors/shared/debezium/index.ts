/**
 * Debezium pieces shared by every Tributary CDC source: envelope and key/value schemas, semantic
 * types, the common `source` block, transaction metadata, heartbeats, tombstones and naming.
 */
export * from './semantic-types.ts';
export * from './temporal.ts';
export * from './naming.ts';
export * from './source-info.ts';
export * from './transaction.ts';
export * from './envelope.ts';
export * from './fields.ts';
export * from './heartbeat.ts';
export * from './tombstone.ts';
