/** Connect data ⇄ Avro (Confluent's AvroData) and Avro schema helpers, as the Avro converter uses them. For the built-in connectors and transforms only: not part of `tributary/sdk`, not semver-stable. */
export {
  AvroData,
  CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT,
  CONNECT_AVRO_DECIMAL_PRECISION_PROP,
  DEFAULT_SCHEMA_FULL_NAME,
} from '../../runtime/converters/avro/avro-data.ts';
export { parseAvroSchema } from '../../runtime/converters/avro/avro-schema-tree.ts';
export { avscType } from '../../runtime/converters/avro/avsc-types.ts';
export { jsonText } from '../../runtime/converters/avro/json-text.ts';
