/**
 * The parity suite's two sides: Cobrix's reader (CobrixDecode.java on the JVM) and Tributary's,
 * on the same copybook, file and Cobrix options, compared value for value.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { BigDecimal } from '../../../../runtime/data/logical.ts';
import { buildReader, parseDecodingConfig } from '../../../../connectors/mainframe/config.ts';
import { frameAll } from '../../../../connectors/mainframe/framing/framer.ts';
import type { CobrixCase } from './cases.ts';

export const DATA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');

/** Cobrix's reader: one JSON array per record per case, or its error. */
export function runCobrix(
  classpath: string,
  cases: CobrixCase[],
  workDir: string,
): Map<string, { rows: unknown[]; error?: string }> {
  const manifest = cases
    .map((c) =>
      [
        c.id,
        c.copybook
          .split(',')
          .map((f) => path.join(DATA_DIR, f))
          .join(','),
        materialize(c.data, workDir),
        Object.entries(c.options)
          .map(([k, v]) => `${k}=${v}`)
          .join('\u0001'),
      ].join('\t'),
    )
    .join('\n');
  const manifestPath = path.join(workDir, 'manifest.tsv');
  fs.writeFileSync(manifestPath, manifest + '\n');
  const out = execFileSync('java', ['-cp', classpath, 'CobrixDecode', manifestPath], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result = new Map<string, { rows: unknown[]; error?: string }>();
  let current: { rows: unknown[]; error?: string } | null = null;
  for (const line of out.split('\n')) {
    if (line.startsWith('#case ')) {
      current = { rows: [] };
      result.set(line.slice(6), current);
    } else if (line.startsWith('#error ')) current!.error = line.slice(7);
    else if (line) current!.rows.push(JSON.parse(line));
  }
  return result;
}

/** The data file of a case, unpacked into the work directory. */
export function materialize(data: string, workDir: string): string {
  const target = path.join(workDir, data);
  if (!fs.existsSync(target)) fs.writeFileSync(target, gunzipSync(fs.readFileSync(path.join(DATA_DIR, `${data}.gz`))));
  return target;
}

/** Cobrix's defaults where Tributary's differ (string trimming, RDW byte order, code page, ASCII charset), set explicitly. */
export function tributaryProps(c: CobrixCase): Record<string, string> {
  const copybook: Record<string, string> = c.copybook.includes(',')
    ? {
        copybooks: c.copybook
          .split(',')
          .map((f) => path.join(DATA_DIR, f))
          .join(','),
      }
    : { copybook: path.join(DATA_DIR, c.copybook) };
  return {
    ...copybook,
    'invalid.data.policy': 'lenient',
    ebcdic_code_page: 'common',
    ascii_charset: 'us-ascii',
    string_trimming_policy: 'both',
    is_rdw_big_endian: 'false',
    rdw_adjustment: '0',
    drop_group_fillers: 'false',
    ...c.options,
  };
}

/** Tributary's reader: the same rows as Cobrix's (groups as arrays, generated columns first). */
export function runTributary(c: CobrixCase, workDir: string): unknown[] {
  const reader = buildReader(parseDecodingConfig(tributaryProps(c)), { generatedColumns: true });
  const data = fs.readFileSync(materialize(c.data, workDir));
  const body = data.subarray(reader.fileStartOffset, data.length - reader.fileEndOffset);
  const collapse = reader.schemaRetention === 'collapse_root' && reader.layout.records.length === 1;
  const rows: unknown[] = [];
  const columns = reader.generatedColumns();
  let index = 0;
  for (const r of frameAll(reader.framer, body)) {
    const d = reader.decode(body, r.start, r.end);
    const generated = columns.next(index++, r.end - r.start, d.segmentId);
    if (generated === null) continue;
    rows.push(tagged([...generated, ...(collapse ? (d.values[0] as unknown[]) : d.values)]));
  }
  return rows;
}

function tagged(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(tagged);
  if (v instanceof BigDecimal) return { decimal: v.toString() };
  if (typeof v === 'bigint') return { long: v.toString() };
  if (typeof v === 'number') return { number: v };
  return v;
}

function canonicalDecimal(s: string): string {
  let [int, frac = ''] = s.replace(/^\+/, '').split('.');
  const negative = int.startsWith('-');
  if (negative) int = int.slice(1);
  int = int.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  const text = frac ? `${int}.${frac}` : int;
  return negative && text !== '0' ? `-${text}` : text;
}

/** The first difference between a Cobrix row and a Tributary row (path and both values), or null. */
export function firstDifference(cobrix: unknown, ours: unknown, where = ''): string | null {
  const show = (v: unknown) => JSON.stringify(v);
  if (Array.isArray(cobrix) || Array.isArray(ours)) {
    if (!Array.isArray(cobrix) || !Array.isArray(ours))
      return `${where}: Cobrix ${show(cobrix)}, Tributary ${show(ours)}`;
    if (cobrix.length !== ours.length)
      return `${where}: Cobrix has ${cobrix.length} values ${show(cobrix).slice(0, 300)}, Tributary ${ours.length} ${show(ours).slice(0, 300)}`;
    for (let i = 0; i < cobrix.length; i++) {
      const d = firstDifference(cobrix[i], ours[i], `${where}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (cobrix === null || ours === null || typeof cobrix === 'string' || typeof ours === 'string') {
    return cobrix === ours ? null : `${where}: Cobrix ${show(cobrix)}, Tributary ${show(ours)}`;
  }
  const c = cobrix as Record<string, string>;
  const o = ours as { number?: number; decimal?: string; long?: string };
  const ourText = o.decimal ?? o.long ?? (o.number !== undefined ? String(o.number) : undefined);
  if (ourText === undefined) return `${where}: Cobrix ${show(cobrix)}, Tributary ${show(ours)}`;
  if (c.float !== undefined || c.double !== undefined) {
    const theirs = Number(c.float ?? c.double);
    const mine = Number(ourText);
    const equal = c.float !== undefined ? Math.fround(theirs) === Math.fround(mine) : theirs === mine;
    return equal ? null : `${where}: Cobrix ${show(cobrix)}, Tributary ${show(ours)}`;
  }
  const theirs = c.int ?? c.long ?? c.decimal;
  if (theirs === undefined) return `${where}: Cobrix ${show(cobrix)}, Tributary ${show(ours)}`;
  const mine = o.number !== undefined && !Number.isInteger(o.number) ? String(o.number) : ourText;
  return canonicalDecimal(theirs) === canonicalDecimal(mine)
    ? null
    : `${where}: Cobrix ${show(cobrix)}, Tributary ${show(ours)}`;
}

/** Cobrix's layout table (Copybook.generateRecordLayoutPositions) of each copybook, or its error. */
export function runCobrixLayouts(
  classpath: string,
  copybooks: Array<{ id: string; path: string }>,
  workDir: string,
): Map<string, string> {
  const manifestPath = path.join(workDir, 'layouts.tsv');
  fs.writeFileSync(manifestPath, copybooks.map((c) => [c.id, c.path, '-layout', ''].join('\t')).join('\n') + '\n');
  const out = execFileSync('java', ['-cp', classpath, 'CobrixDecode', manifestPath], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result = new Map<string, string>();
  let current = '';
  for (const line of out.split('\n')) {
    if (line.startsWith('#case ')) {
      current = line.slice(6);
      result.set(current, '');
    } else result.set(current, result.get(current) + line + '\n');
  }
  for (const [k, v] of result) result.set(k, v.replace(/\n+$/, '\n'));
  return result;
}
