/** The configuration of Kafka Connect's JsonConverter: same keys, defaults, validators and groups. */
import { ConfigDef, Validators } from '../config/config-def.ts';
import { CONVERTER_TYPE_KEY } from './converter-type-config.ts';

export const JSON_CONVERTER_CONFIG = new ConfigDef()
  .define({
    name: 'schemas.enable',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'HIGH',
    documentation: 'Include schemas within each of the serialized values and keys.',
    group: 'Schemas',
    orderInGroup: 0,
    width: 'MEDIUM',
    displayName: 'Enable Schemas',
  })
  .define({
    name: 'schemas.cache.size',
    type: 'INT',
    defaultValue: 1000,
    importance: 'HIGH',
    documentation: 'The maximum number of schemas that can be cached in this converter instance.',
    group: 'Schemas',
    orderInGroup: 1,
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'decimal.format',
    type: 'STRING',
    defaultValue: 'BASE64',
    importance: 'LOW',
    documentation: 'Controls which format this converter will serialize decimals in: BASE64 or NUMERIC.',
    validator: Validators.in('BASE64', 'NUMERIC'),
    group: 'Serialization',
    orderInGroup: 0,
  })
  .define({
    name: 'replace.null.with.default',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    documentation: 'Whether to replace fields that have a default value and that are null to the default value.',
    group: 'Serialization',
    orderInGroup: 1,
  })
  .define({ ...CONVERTER_TYPE_KEY, validator: Validators.in('key', 'value', 'header') });
