import { DataException } from '../errors.ts';
import { type Schema, type Field, validateValue, valuesEqual, schemaEquals } from './schema.ts';
import { BigDecimal } from './logical.ts';

function isRequired(schema: Schema): boolean {
  return !schema.optional && schema.defaultValue === undefined;
}

/** Per struct schema: the number of fields that must be set, which they are, and an unset values array to copy. */
interface StructShape {
  readonly required: number;
  readonly requiredAt: readonly boolean[];
  readonly unset: readonly unknown[];
}

const shapes = new WeakMap<Schema, StructShape>();

function shapeOf(schema: Schema): StructShape {
  let shape = shapes.get(schema);
  if (shape === undefined) {
    shape = {
      required: schema.fields.reduce((count, f) => count + (isRequired(f.schema) ? 1 : 0), 0),
      requiredAt: schema.fields.map((f) => isRequired(f.schema)),
      // Packed (not holey) so that copies of it are too.
      unset: Array.from({ length: schema.fields.length }, () => undefined),
    };
    shapes.set(schema, shape);
  }
  return shape;
}

/** A struct value bound to a struct schema; `put` validates each value, `validate` checks required fields. */
export class Struct {
  readonly schema: Schema;
  private readonly shape: StructShape;
  private readonly values: unknown[];
  /** Required fields without a default not set yet. */
  private missing: number;
  /** Whether a value was put that can change after `put` (see validate). */
  private holdsObjects = false;

  constructor(schema: Schema) {
    if (schema.type !== 'struct') throw new DataException(`Not a struct schema: ${schema.type}`);
    this.schema = schema;
    const shape = shapeOf(schema);
    this.shape = shape;
    this.values = shape.unset.slice();
    this.missing = shape.required;
  }

  private lookup(fieldName: string): Field {
    const field = this.schema.field(fieldName);
    if (!field) throw new DataException(`${fieldName} is not a valid field name`);
    return field;
  }

  put(fieldName: string | Field, value: unknown): this {
    const field = typeof fieldName === 'string' ? this.lookup(fieldName) : fieldName;
    // A struct of the field's own schema: what validateValue would do for it, without its dispatch.
    if (value instanceof Struct && value.schema === field.schema) value.validate();
    else validateValue(field.schema, value, field.name);
    return this.putKnownValid(field, value);
  }

  /**
   * `put` without validating the value: for builders whose values are of the field's schema by
   * construction (a value read from a struct of the same field schema, a number the builder made
   * for an int64 field). Required-field bookkeeping is as `put`'s.
   */
  putKnownValid(field: Field, value: unknown): this {
    // validateValue refused a null for a required field without a default: this sets it. Counted on
    // this struct's own field at that position (a Field of another schema may have been passed).
    if (
      value !== null &&
      value !== undefined &&
      this.values[field.index] === undefined &&
      this.shape.requiredAt[field.index]
    )
      this.missing--;
    if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && !(value instanceof BigDecimal))
      this.holdsObjects = true;
    this.values[field.index] = value;
    return this;
  }

  /**
   * A copy holding the same values (not deep: nested structs, arrays, maps are shared), without
   * validating them again: for a template struct completed per record by a few puts.
   */
  copy(): Struct {
    const c = new Struct(this.schema);
    for (let i = 0; i < this.values.length; i++) c.values[i] = this.values[i];
    c.missing = this.missing;
    c.holdsObjects = this.holdsObjects;
    return c;
  }

  /** The value, or the field's default when unset (as Struct.get). */
  get(fieldName: string | Field): unknown {
    const field = typeof fieldName === 'string' ? this.lookup(fieldName) : fieldName;
    const v = this.values[field.index];
    return v === undefined || v === null ? (field.schema.defaultValue ?? (v === undefined ? null : v)) : v;
  }

  /** The raw value without applying defaults. */
  getWithoutDefault(fieldName: string): unknown {
    const v = this.values[this.lookup(fieldName).index];
    return v === undefined ? null : v;
  }

  /** The raw value of the field at this position (no default applied); for hot paths that iterate fields. */
  valueAt(index: number): unknown {
    const v = this.values[index];
    return v === undefined ? null : v;
  }

  getString(fieldName: string): string | null {
    return this.get(fieldName) as string | null;
  }
  getStruct(fieldName: string): Struct | null {
    return this.get(fieldName) as Struct | null;
  }

  validate(): void {
    // As Kafka's Struct.validate, without rechecking what `put` checked: a struct whose required
    // fields are all set and that holds no object that can change after `put` (nested structs,
    // arrays, maps, Dates) is valid. Otherwise each field in order: unset required fields fail with
    // validateValue's message, nested structs validate themselves, other objects are checked again.
    if (this.missing === 0 && !this.holdsObjects) return;
    const fields = this.schema.fields;
    const values = this.values;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      const v = values[f.index];
      if (v === undefined) {
        if (!f.schema.optional && f.schema.defaultValue === undefined) validateValue(f.schema, null, f.name);
      } else if (v instanceof Struct) {
        v.validate();
      } else if (v !== null && typeof v === 'object') {
        validateValue(f.schema, v, f.name);
      }
    }
  }

  equals(other: unknown): boolean {
    if (!(other instanceof Struct)) return false;
    if (!schemaEquals(this.schema, other.schema)) return false;
    return this.schema.fields.every((f) =>
      valuesEqual(this.getWithoutDefault(f.name), other.getWithoutDefault(f.name)),
    );
  }

  toString(): string {
    return `Struct{${this.schema.fields
      .filter((f) => this.values[f.index] !== undefined && this.values[f.index] !== null)
      .map((f) => `${f.name}=${String(this.values[f.index])}`)
      .join(',')}}`;
  }
}
