/** The type names and field_meta keys Confluent's ProtobufData uses, and Tributary's connect.* metadata keys. */
import { type Schema } from '../../data/schema.ts';
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal } from '../../data/logical.ts';

export const NAMESPACE = 'io.confluent.connect.protobuf';
export const DEFAULT_SCHEMA_NAME = 'ConnectDefault';
export const PROTOBUF_TYPE_ENUM = `${NAMESPACE}.Enum`;
export const PROTOBUF_TYPE_UNION_PREFIX = `${NAMESPACE}.Union.`;
export const PROTOBUF_TYPE_TAG = `${NAMESPACE}.Tag`;
export const CONNECT_TYPE_PROP = 'connect.type';
export const CONNECT_PRECISION_PROP = 'connect.decimal.precision';
export const META_NAME = 'connect.name';
export const META_VERSION = 'connect.version';
export const META_DEFAULT = 'connect.default';
export const META_OPTIONAL = 'connect.optional';
export const META_ARRAY = 'connect.array';
export const RESERVED_META = new Set([
  CONNECT_TYPE_PROP,
  META_NAME,
  META_VERSION,
  META_DEFAULT,
  META_OPTIONAL,
  META_ARRAY,
]);

export const DECIMAL_TYPE = 'confluent.type.Decimal';
export const DATE_TYPE = 'google.type.Date';
export const TIME_TYPE = 'google.type.TimeOfDay';
export const TIMESTAMP_TYPE = 'google.protobuf.Timestamp';
export const IMPORT_OF: Record<string, string> = {
  [DECIMAL_TYPE]: 'confluent/type/decimal.proto',
  [DATE_TYPE]: 'google/type/date.proto',
  [TIME_TYPE]: 'google/type/timeofday.proto',
  [TIMESTAMP_TYPE]: 'google/protobuf/timestamp.proto',
};
export const WRAPPERS: Record<string, Schema['type']> = {
  'google.protobuf.DoubleValue': 'float64',
  'google.protobuf.FloatValue': 'float32',
  'google.protobuf.Int64Value': 'int64',
  'google.protobuf.UInt64Value': 'int64',
  'google.protobuf.Int32Value': 'int32',
  'google.protobuf.UInt32Value': 'int64',
  'google.protobuf.BoolValue': 'boolean',
  'google.protobuf.StringValue': 'string',
  'google.protobuf.BytesValue': 'bytes',
};
export const WRAPPER_FOR: Partial<Record<Schema['type'], string>> = {
  int8: 'google.protobuf.Int32Value',
  int16: 'google.protobuf.Int32Value',
  int32: 'google.protobuf.Int32Value',
  int64: 'google.protobuf.Int64Value',
  float32: 'google.protobuf.FloatValue',
  float64: 'google.protobuf.DoubleValue',
  boolean: 'google.protobuf.BoolValue',
  string: 'google.protobuf.StringValue',
  bytes: 'google.protobuf.BytesValue',
};
export const SCALAR_FOR: Partial<Record<Schema['type'], string>> = {
  int8: 'int32',
  int16: 'int32',
  int32: 'int32',
  int64: 'int64',
  float32: 'float',
  float64: 'double',
  boolean: 'bool',
  string: 'string',
  bytes: 'bytes',
};
export const LOGICAL_NAMES = new Set([
  Decimal.LOGICAL_NAME,
  ConnectDate.LOGICAL_NAME,
  ConnectTime.LOGICAL_NAME,
  ConnectTimestamp.LOGICAL_NAME,
]);
