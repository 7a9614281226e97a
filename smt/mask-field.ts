/** MaskField$Key / $Value: replace field values with their type's "zero" or a given replacement. */
import { ConfigDef, ParsedConfig } from '../runtime/config/config-def.ts';
import { ConfigException, DataException } from '../runtime/errors.ts';
import type { Schema } from '../runtime/data/schema.ts';
import { Struct } from '../runtime/data/struct.ts';
import { BigDecimal, Decimal, ConnectDate, ConnectTime, ConnectTimestamp } from '../runtime/data/logical.ts';
import type { AnyRecord, Transformation } from '../runtime/spi/transformation.ts';
import { operatingSchema, operatingValue, withOperating, type Side } from './util/operating.ts';
import { requireMap, requireStruct } from './util/requirements.ts';

const PURPOSE = 'mask fields';

export const MASK_FIELD_CONFIG = new ConfigDef()
  .define({ name: 'fields', type: 'LIST', importance: 'HIGH', documentation: 'Names of fields to mask.' })
  .define({ name: 'replacement', type: 'STRING', defaultValue: null, importance: 'LOW', documentation: 'Custom value replacement, that will be applied to all \'fields\' values (numeric or non-empty string values only).' })
  .define({ name: 'replace.null.with.default', type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: 'Whether to replace fields that have a default value and that are null to the default value.' });

/** The value masking produces without a replacement, by the value's runtime type (schemaless) or schema. */
function zeroOf(value: unknown, schema?: Schema): unknown {
  if (schema?.name === Decimal.LOGICAL_NAME || value instanceof BigDecimal) return new BigDecimal(0n, value instanceof BigDecimal ? value.scale : Decimal.scaleOf(schema!));
  if (schema?.name === ConnectDate.LOGICAL_NAME || schema?.name === ConnectTime.LOGICAL_NAME || schema?.name === ConnectTimestamp.LOGICAL_NAME || value instanceof Date) return new Date(0);
  switch (schema?.type ?? typeof value) {
    case 'boolean': return false;
    case 'int8': case 'int16': case 'int32': case 'float32': case 'float64': case 'number': return 0;
    case 'int64': return typeof value === 'bigint' ? 0n : 0;
    case 'bigint': return 0n;
    case 'string': return '';
    case 'bytes': return Buffer.alloc(0);
    case 'array': return [];
    case 'map': return schema ? new Map() : {};
  }
  if (Array.isArray(value)) return [];
  if (value instanceof Uint8Array) return Buffer.alloc(0);
  if (value && typeof value === 'object') return value instanceof Map ? new Map() : {};
  throw new DataException(`Cannot mask value of type: ${schema?.type ?? typeof value}`);
}

function replacementFor(value: unknown, replacement: string, schema?: Schema): unknown {
  const type = schema?.type ?? typeof value;
  const num = (): number => {
    const n = Number(replacement);
    if (Number.isNaN(n)) throw new DataException(`Unable to convert ${replacement} (${type}) to number`);
    return n;
  };
  if (schema?.name === Decimal.LOGICAL_NAME || value instanceof BigDecimal) return BigDecimal.parse(replacement).setScale(value instanceof BigDecimal ? value.scale : Decimal.scaleOf(schema!));
  switch (type) {
    case 'string': return replacement;
    case 'int8': case 'int16': case 'int32': case 'float32': case 'float64': case 'number': return num();
    case 'int64': return typeof value === 'bigint' ? BigInt(replacement) : num();
    case 'bigint': return BigInt(replacement);
  }
  throw new DataException(`Cannot mask value of type ${type} with custom replacement.`);
}

export class MaskField implements Transformation {
  private fields = new Set<string>();
  private replacement: string | null = null;
  private replaceNullWithDefault = true;

  constructor(private readonly side: Side) {}

  config(): ConfigDef { return MASK_FIELD_CONFIG; }
  version(): string { return '1.0.0'; }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(MASK_FIELD_CONFIG, props);
    this.fields = new Set(c.getList('fields'));
    if (this.fields.size === 0) throw new ConfigException('Invalid value [] for configuration fields: empty list is not supported', { key: 'fields' });
    this.replacement = c.getOptionalString('replacement');
    if (this.replacement === '') throw new ConfigException('Invalid value  for configuration replacement: String must be non-empty', { key: 'replacement' });
    this.replaceNullWithDefault = c.getBoolean('replace.null.with.default');
  }

  private masked(value: unknown, schema?: Schema): unknown {
    if (value === null || value === undefined) return null;
    return this.replacement === null ? zeroOf(value, schema) : replacementFor(value, this.replacement, schema);
  }

  apply<R extends AnyRecord>(record: R): R {
    const schema = operatingSchema(this.side, record);
    const value = operatingValue(this.side, record);
    if (value === null || value === undefined) return record;
    if (schema === null) {
      const out: Record<string, unknown> = { ...requireMap(value, PURPOSE) };
      for (const f of this.fields) if (f in out) out[f] = this.masked(out[f]);
      return withOperating(this.side, record, null, out);
    }
    const struct = requireStruct(value, PURPOSE);
    const updated = new Struct(struct.schema);
    for (const f of struct.schema.fields) {
      const v = this.replaceNullWithDefault ? struct.get(f) : struct.getWithoutDefault(f.name);
      updated.put(f, this.fields.has(f.name) ? this.masked(v, f.schema) : v);
    }
    return withOperating(this.side, record, struct.schema, updated);
  }
}
