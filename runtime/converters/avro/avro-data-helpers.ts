/**
 * Helpers of the Avro ⇄ Connect conversions (avro-data.ts, avro-to-connect.ts): logical values, union branches,
 * schema mismatches (what Protobuf shares is in ../registry-data-helpers.ts).
 */
import { DataException } from '../../errors.ts';
import type { Schema } from '../../data/schema.ts';
import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, Decimal, EpochMillis } from '../../data/logical.ts';
import { type AvroNode, branchName } from './avro-schema-tree.ts';
import { NAMESPACE, MAP_ENTRY_TYPE_NAME, CONNECT_INTERNAL_TYPE_NAME } from './avro-names.ts';

export function isNull(node: AvroNode): boolean {
  return node.kind === 'primitive' && node.type === 'null';
}

export function isMapEntry(node: Extract<AvroNode, { kind: 'record' }>): boolean {
  return (
    node.fullName === `${NAMESPACE}.${MAP_ENTRY_TYPE_NAME}` ||
    node.props[CONNECT_INTERNAL_TYPE_NAME] === MAP_ENTRY_TYPE_NAME
  );
}

/** The union branch that holds a value of this (optional) Connect schema. */
export function pickBranch(schema: Schema, node: Extract<AvroNode, { kind: 'union' }>): AvroNode {
  const candidates = node.types.filter((t) => !isNull(t));
  if (candidates.length === 1) return candidates[0];
  const wanted = AVRO_KIND_FOR_CONNECT[schema.type];
  const byName = candidates.find(
    (t) => (t.kind === 'record' || t.kind === 'enum' || t.kind === 'fixed') && t.fullName === schema.name,
  );
  if (byName) return byName;
  const byKind = candidates.find((t) => (t.kind === 'primitive' ? wanted.includes(t.type) : wanted.includes(t.kind)));
  if (byKind) return byKind;
  throw new DataException(
    `No branch of the Avro union ${JSON.stringify(candidates.map(branchName))} can hold a ${schema.type} value`,
  );
}

export const AVRO_KIND_FOR_CONNECT: Record<Schema['type'], string[]> = {
  int8: ['int'],
  int16: ['int'],
  int32: ['int'],
  int64: ['long'],
  float32: ['float'],
  float64: ['double'],
  boolean: ['boolean'],
  string: ['string', 'enum'],
  bytes: ['bytes', 'fixed'],
  array: ['array'],
  map: ['map', 'array'],
  struct: ['record'],
};

export function toAvroLogical(schema: Schema, value: unknown): unknown {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (!(value instanceof BigDecimal))
        throw new DataException(`Invalid type for Decimal, expected BigDecimal but was ${typeof value}`);
      return Decimal.fromLogical(schema, value);
    case ConnectDate.LOGICAL_NAME:
      if (!(value instanceof Date || value instanceof EpochMillis))
        throw new DataException(`Invalid type for Date, expected Date but was ${typeof value}`);
      return ConnectDate.fromLogical(value);
    case ConnectTime.LOGICAL_NAME:
      if (!(value instanceof Date))
        throw new DataException(`Invalid type for Time, expected Date but was ${typeof value}`);
      return ConnectTime.fromLogical(value);
    case ConnectTimestamp.LOGICAL_NAME:
      if (!(value instanceof Date || value instanceof EpochMillis))
        throw new DataException(`Invalid type for Timestamp, expected Date but was ${typeof value}`);
      return ConnectTimestamp.fromLogical(value);
    default:
      return value;
  }
}

export function toConnectLogical(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (!(value instanceof Uint8Array))
        throw new DataException('Invalid type for Decimal, underlying representation should be bytes');
      return Decimal.toLogical(schema, value);
    case ConnectDate.LOGICAL_NAME:
      if (typeof value !== 'number')
        throw new DataException('Invalid type for Date, underlying representation should be int32');
      return ConnectDate.toLogical(value);
    case ConnectTime.LOGICAL_NAME:
      if (typeof value !== 'number')
        throw new DataException('Invalid type for Time, underlying representation should be int32');
      return ConnectTime.toLogical(value);
    case ConnectTimestamp.LOGICAL_NAME:
      if (typeof value !== 'number' && typeof value !== 'bigint')
        throw new DataException('Invalid type for Timestamp, underlying representation should be int64');
      return ConnectTimestamp.toLogical(value);
    default:
      return value;
  }
}

export function mismatch(schema: Schema, node: AvroNode, path: string): DataException {
  return new DataException(
    `The Avro schema (${node.kind === 'union' ? 'union' : branchName(node)}) does not match the Connect ${schema.type} schema at "${path}"`,
  );
}
