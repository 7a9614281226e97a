/** The names and schema attributes Confluent's AvroData uses (io.confluent.connect.avro.AvroData's constants). */
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal } from '../../data/logical.ts';

export const NAMESPACE = 'io.confluent.connect.avro';
export const DEFAULT_SCHEMA_NAME = 'ConnectDefault';
export const DEFAULT_SCHEMA_FULL_NAME = `${NAMESPACE}.${DEFAULT_SCHEMA_NAME}`;
export const MAP_ENTRY_TYPE_NAME = 'MapEntry';
export const CONNECT_NAME_PROP = 'connect.name';
export const CONNECT_DOC_PROP = 'connect.doc';
export const CONNECT_VERSION_PROP = 'connect.version';
export const CONNECT_DEFAULT_VALUE_PROP = 'connect.default';
export const CONNECT_PARAMETERS_PROP = 'connect.parameters';
export const CONNECT_INTERNAL_TYPE_NAME = 'connect.internal.type';
export const CONNECT_TYPE_PROP = 'connect.type';
export const AVRO_RECORD_DOC_PROP = `${NAMESPACE}.record.doc`;
export const AVRO_ENUM_DOC_PREFIX_PROP = `${NAMESPACE}.enum.doc.`;
export const AVRO_ENUM_DEFAULT_PREFIX_PROP = `${NAMESPACE}.enum.default.`;
export const AVRO_FIELD_DOC_PREFIX_PROP = `${NAMESPACE}.field.doc.`;
export const AVRO_FIELD_DEFAULT_FLAG_PROP = `${NAMESPACE}.field.default`;
export const AVRO_TYPE_UNION = `${NAMESPACE}.Union`;
export const AVRO_TYPE_ENUM = `${NAMESPACE}.Enum`;
export const CONNECT_AVRO_DECIMAL_PRECISION_PROP = 'connect.decimal.precision';
export const CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT = 64;

export const LOGICAL = new Set([
  Decimal.LOGICAL_NAME,
  ConnectDate.LOGICAL_NAME,
  ConnectTime.LOGICAL_NAME,
  ConnectTimestamp.LOGICAL_NAME,
]);
export const DEFAULT_NAME_PATTERN = new RegExp(`^${DEFAULT_SCHEMA_FULL_NAME.replace(/\./g, '\\.')}\\d*$`);

export interface AvroDataOptions {
  /** `connect.meta.data`: write and read the connect.* attributes (default true). */
  connectMetaData: boolean;
  /** `enhanced.avro.schema.support`: keep Avro enums and full union member names (default false). */
  enhancedSchemaSupport: boolean;
}
