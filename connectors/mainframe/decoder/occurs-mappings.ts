/**
 * Cobrix's occurs_mappings: an OCCURS DEPENDING ON a text field, whose values map to counts per
 * table, e.g. {"DETAIL1": {"A": 0, "B": 1}}. Each mapped table gets a counter slot of its own; the
 * counter field's decoder writes the mapped count of every table depending on it into their slots.
 */
import { InvalidFieldData } from '../codec/errors.ts';
import type { LayoutField } from '../copybook/layout.ts';
import type { InvalidDataPolicy } from './options.ts';
import type { DecodeContext } from './record-decoder.ts';

type FieldDecode = (buf: Buffer, at: number, ctx: DecodeContext) => unknown;

/** Table name as the mappings name it: COBOL or Connect spelling, any case. */
export const mappingKey = (name: string) => name.toUpperCase().replace(/_/g, '-');

/** Parses the option's JSON: table name → value → count. */
export function parseOccursMappings(json: string): Map<string, Map<string, number>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new Error(`expected JSON such as {"TABLE": {"A": 0, "B": 1}}: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error('expected a JSON object of table names, such as {"TABLE": {"A": 0, "B": 1}}');
  const out = new Map<string, Map<string, number>>();
  for (const [table, values] of Object.entries(parsed as Record<string, unknown>)) {
    if (values === null || typeof values !== 'object' || Array.isArray(values))
      throw new Error(`expected the mapping of ${table} to be an object of value → count`);
    const m = new Map<string, number>();
    for (const [value, count] of Object.entries(values as Record<string, unknown>)) {
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0)
        throw new Error(
          `expected a count (an integer ≥ 0) for value ${JSON.stringify(value)} of ${table}, got ${JSON.stringify(count)}`,
        );
      m.set(value, count);
    }
    out.set(mappingKey(table), m);
  }
  return out;
}

interface MappedTable {
  slot: number;
  table: string;
  map: Map<string, number>;
  max: number;
}

export class OccursMappingPlan {
  private readonly slots = new Map<LayoutField, number>();
  private readonly byCounter = new Map<string, MappedTable[]>();
  /** Counter slots added (after the `firstSlot` ones of numeric counters). */
  readonly count: number;

  constructor(
    fields: LayoutField[],
    mappings: Map<string, Map<string, number>>,
    firstSlot: number,
    private readonly policy: InvalidDataPolicy,
  ) {
    const counters = new Map(fields.filter((f) => f.isDependee).map((f) => [f.name, f]));
    let slot = firstSlot;
    for (const f of fields) {
      const map = mappings.get(mappingKey(f.name));
      const counter = f.occurs?.dependingOn ? counters.get(f.occurs.dependingOn) : undefined;
      // as Cobrix: the mapping applies to a text counter (a numeric counter is its own count)
      if (!map || !counter || counter.type?.kind !== 'text') continue;
      this.slots.set(f, slot);
      const list = this.byCounter.get(counter.name) ?? [];
      list.push({ slot, table: f.path, map, max: f.occurs!.max });
      this.byCounter.set(counter.name, list);
      slot++;
    }
    this.count = slot - firstSlot;
  }

  /** The counter slot of a mapped table, or undefined. */
  slotOf(f: LayoutField): number | undefined {
    return this.slots.get(f);
  }

  /** The counter's decoder, also writing the mapped counts; an unmapped value is invalid data (lenient: the table's maximum, as Cobrix). */
  wrapCounter(counter: LayoutField, decode: FieldDecode): FieldDecode {
    const tables = this.byCounter.get(counter.name);
    if (!tables) return decode;
    const lenient = this.policy === 'lenient';
    return (buf, at, ctx) => {
      const v = decode(buf, at, ctx);
      const key = v === null || v === undefined ? '' : String(v);
      for (const t of tables) {
        const c = t.map.get(key);
        if (c !== undefined) ctx.counters[t.slot] = c;
        else if (lenient) ctx.counters[t.slot] = t.max;
        else
          throw new InvalidFieldData(
            `value ${JSON.stringify(key)} has no occurs_mappings entry for ${t.table} (mapped values: ${[...t.map.keys()].map((k) => JSON.stringify(k)).join(', ')})`,
          );
      }
      return v;
    };
  }
}
