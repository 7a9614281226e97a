/**
 * KIP-821 field paths (Kafka Connect's SingleFieldPath / FieldSyntaxVersion): V1 is one top-level
 * field name taken literally (dots included); V2 is a dotted path into nested structs or maps, with
 * backticks around a step that itself contains dots (`` `foo.bar`.baz ``) and `` \` `` to escape a backtick.
 */
import { ConfigException } from '../../sdk/errors.ts';
import type { ConfigKeyInit } from '../../sdk/config.ts';
import type { Field, Schema, Struct } from '../../sdk/data.ts';
import { requireMapOrNull, requireStructOrNull } from './requirements.ts';
import { SmtValidators } from './config.ts';

export type FieldSyntaxVersion = 'V1' | 'V2';

export const FIELD_SYNTAX_VERSION_CONFIG = 'field.syntax.version';

export function fieldSyntaxVersionKey(): ConfigKeyInit {
  return {
    name: FIELD_SYNTAX_VERSION_CONFIG,
    type: 'STRING',
    defaultValue: 'V1',
    importance: 'HIGH',
    validator: SmtValidators.caseInsensitiveValidString('V1', 'V2'),
    documentation:
      'Defines the version of the syntax to access fields. If set to `V1`, then the field paths are limited to access the elements at the root level of the struct or map. If set to `V2`, the syntax will support accessing nested elements. To access nested elements, dotted notation is used. If dots are already included in the field name, then backtick pairs can be used to wrap field names containing dots. E.g. to access the subfield `baz` from a field named "foo.bar" in a struct/map the following format can be used to access its elements: "`foo.bar`.baz".',
  };
}

export function fieldSyntaxVersion(value: string): FieldSyntaxVersion {
  const v = value.toUpperCase();
  if (v !== 'V1' && v !== 'V2')
    throw new ConfigException(
      `Invalid value ${value} for configuration ${FIELD_SYNTAX_VERSION_CONFIG}: Unrecognized field syntax version`,
      { key: FIELD_SYNTAX_VERSION_CONFIG },
    );
  return v;
}

export class SingleFieldPath {
  readonly steps: readonly string[];

  constructor(
    readonly path: string,
    readonly version: FieldSyntaxVersion,
  ) {
    this.steps = version === 'V1' ? [path] : parseV2(path);
  }

  /** The field at this path in a struct schema, or undefined. */
  fieldFrom(schema: Schema | null): Field | undefined {
    if (!schema) return undefined;
    let current: Schema = schema;
    for (let i = 0; i < this.steps.length - 1; i++) {
      const f = current.type === 'struct' ? current.field(this.steps[i]) : undefined;
      if (!f) return undefined;
      current = f.schema;
    }
    return current.type === 'struct' ? current.field(this.steps[this.steps.length - 1]) : undefined;
  }

  /** The value at this path in a struct (null when any step is missing or null). */
  valueFromStruct(struct: Struct | null, replaceNullWithDefault = true): unknown {
    if (!struct) return null;
    let current: Struct | null = struct;
    for (let i = 0; i < this.steps.length - 1; i++) {
      const f = current.schema.field(this.steps[i]);
      if (!f) return null;
      current = requireStructOrNull(
        replaceNullWithDefault ? current.get(f) : current.getWithoutDefault(f.name),
        'nested field access',
      );
      if (!current) return null;
    }
    const last = current.schema.field(this.steps[this.steps.length - 1]);
    if (!last) return null;
    return replaceNullWithDefault ? current.get(last) : current.getWithoutDefault(last.name);
  }

  /** The value at this path in a schemaless map (null when any step is missing or null). */
  valueFromMap(map: Record<string, unknown> | null): unknown {
    let current = map;
    for (let i = 0; i < this.steps.length - 1 && current; i++)
      current = requireMapOrNull(current[this.steps[i]], 'nested field access');
    if (!current) return null;
    return current[this.steps[this.steps.length - 1]] ?? null;
  }

  toString(): string {
    return `SingleFieldPath{version=${this.version}, path=${this.steps.join('.')}}`;
  }
}

function parseV2(path: string): string[] {
  const steps: string[] = [];
  let idx = 0;
  while (idx < path.length && idx >= 0) {
    if (path[idx] !== '`') {
      const start = idx;
      idx = path.indexOf('.', idx);
      if (idx >= 0) {
        steps.push(path.slice(start, idx));
        idx++;
      } else steps.push(path.slice(start));
    } else {
      const backtickAt = idx;
      idx++;
      let field = '';
      let start = idx;
      for (;;) {
        idx = path.indexOf('`', idx);
        if (idx === -1) failIncompleteBacktick(path, backtickAt);
        const escaped = path[idx - 1] === '\\';
        if (idx >= path.length - 1) {
          if (escaped) failIncompleteBacktick(path, backtickAt);
          field += path.slice(start, idx);
          steps.push(field);
          idx++;
          break;
        }
        if (path[idx + 1] !== '.') {
          idx++;
          continue;
        }
        if (escaped) {
          field += path.slice(start, idx - 1) + '`';
          idx++;
          start = idx;
          continue;
        }
        field += path.slice(start, idx);
        steps.push(field);
        idx += 2;
        break;
      }
    }
  }
  if (path.length > 0 && path[path.length - 1] === '.') steps.push('');
  return steps;
}

function failIncompleteBacktick(path: string, backtickAt: number): never {
  throw new ConfigException(
    `Incomplete backtick pair in path: [${path}], consider adding a backslash before backtick at position ${backtickAt} to escape it`,
  );
}
