/**
 * What the connector knows about PostgreSQL types: name, kind (base, enum, domain, range…),
 * array element, domain base and enum labels, loaded from pg_type / pg_enum and refreshed when a
 * Relation message mentions a type it has not seen (e.g. an enum created after start).
 */
import type pg from 'pg';

export interface PgType {
  oid: number;
  name: string;
  namespace: string;
  /** typtype: b base, c composite, d domain, e enum, p pseudo, r range, m multirange. */
  kind: string;
  category: string;
  elementOid: number;
  baseOid: number;
  baseTypmod: number;
  enumLabels: string[];
}

export class TypeRegistry {
  private types = new Map<number, PgType>();

  get(oid: number): PgType | undefined {
    return this.types.get(oid);
  }

  has(oid: number): boolean {
    return this.types.has(oid);
  }

  async load(client: pg.Client): Promise<void> {
    const res = await client.query<{
      oid: string;
      typname: string;
      nspname: string;
      typtype: string;
      typcategory: string;
      typelem: string;
      typbasetype: string;
      typtypmod: string;
      labels: string[] | string | null;
    }>(
      `SELECT t.oid, t.typname, n.nspname, t.typtype, t.typcategory, t.typelem, t.typbasetype, t.typtypmod,
              (SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) AS labels
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace`,
    );
    const next = new Map<number, PgType>();
    for (const r of res.rows) {
      next.set(Number(r.oid), {
        oid: Number(r.oid),
        name: r.typname,
        namespace: r.nspname,
        kind: r.typtype,
        category: r.typcategory,
        elementOid: Number(r.typelem),
        baseOid: Number(r.typbasetype),
        baseTypmod: Number(r.typtypmod),
        enumLabels: labelsOf(r.labels),
      });
    }
    this.types = next;
  }
}

/** Text-mode clients return arrays as their literal; parse the simple text[] of labels. */
function labelsOf(v: string[] | string | null): string[] {
  if (v === null) return [];
  if (Array.isArray(v)) return v;
  const inner = v.slice(1, -1);
  if (inner === '') return [];
  const out: string[] = [];
  let i = 0;
  while (i < inner.length) {
    if (inner[i] === '"') {
      let s = '';
      i++;
      while (i < inner.length && inner[i] !== '"') {
        if (inner[i] === '\\') i++;
        s += inner[i++];
      }
      out.push(s);
      i += 2;
    } else {
      const j = inner.indexOf(',', i);
      out.push(inner.slice(i, j < 0 ? inner.length : j));
      i = j < 0 ? inner.length : j + 1;
    }
  }
  return out;
}
