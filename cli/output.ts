/** `--output json|table`: how client commands print what the worker answered. */

export type OutputFormat = 'json' | 'table';

type Row = Record<string, unknown>;

/** Renders a REST answer: JSON indented, or a table for lists, maps of objects and statuses. */
export function render(value: unknown, format: OutputFormat): string {
  if (format === 'json') return JSON.stringify(value, null, 2);
  return table(rowsOf(value));
}

function rowsOf(value: unknown): Row[] {
  if (Array.isArray(value))
    return value.map((v) =>
      v !== null && typeof v === 'object' && !Array.isArray(v) ? flatten(v as Row) : { value: v },
    );
  if (value === null || typeof value !== 'object') return [{ value }];
  const obj = value as Row;
  // A connector status: one row for the connector, one per task.
  if (obj.connector && typeof obj.connector === 'object' && Array.isArray(obj.tasks)) return statusRows(obj);
  // ?expand=status|info: name → {status, info}
  const entries = Object.entries(obj);
  if (entries.length > 0 && entries.every(([, v]) => v !== null && typeof v === 'object' && !Array.isArray(v))) {
    if (entries.every(([, v]) => (v as Row).status !== undefined)) {
      return entries.flatMap(([, v]) => statusRows((v as Row).status as Row));
    }
    return entries.map(([k, v]) => ({ name: k, ...flatten(v as Row) }));
  }
  // A topic description or an offsets answer: its list field as rows.
  for (const key of ['partitions', 'offsets', 'records']) if (Array.isArray(obj[key])) return rowsOf(obj[key]);
  return entries.map(([k, v]) => ({ key: k, value: v }));
}

function statusRows(s: Row): Row[] {
  const c = s.connector as Row;
  const rows: Row[] = [
    {
      name: s.name,
      instance: 'connector',
      state: c.state,
      worker_id: c.worker_id,
      type: s.type ?? '',
      trace: firstLine(c.trace),
    },
  ];
  for (const t of s.tasks as Row[])
    rows.push({
      name: s.name,
      instance: `task ${String(t.id)}`,
      state: t.state,
      worker_id: t.worker_id,
      type: '',
      trace: firstLine(t.trace),
    });
  return rows;
}

const firstLine = (v: unknown) => (typeof v === 'string' ? v.split('\n')[0] : '');

function flatten(obj: Row, prefix = ''): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length <= 6)
      Object.assign(out, flatten(v as Row, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = v;
  }
  return out;
}

const cell = (v: unknown) =>
  v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

export function table(rows: Row[]): string {
  if (rows.length === 0) return '(none)';
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => rows.some((r) => cell(r[c]) !== ''));
  const widths = cols.map((c) => Math.min(60, Math.max(c.length, ...rows.map((r) => cell(r[c]).length))));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => (v.length > widths[i] ? v.slice(0, widths[i] - 1) + '…' : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(cols.map((c) => c.toUpperCase())), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n');
}
