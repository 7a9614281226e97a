/**
 * MySQL JSON diff vectors (PARTIAL_UPDATE_ROWS_EVENT, sql/json_diff.cc): a list of
 * REPLACE / INSERT / REMOVE operations on JSON paths, applied to the before image to rebuild the
 * full after image.
 */
import { BinlogFormatError, ByteReader } from './byte-reader.ts';
import { type JsonNode, parseJsonBinary, sortKeysMysql } from './json-binary.ts';

export const JsonDiffOp = { REPLACE: 0, INSERT: 1, REMOVE: 2 } as const;

export interface JsonDiff {
  op: number;
  path: string;
  value: JsonNode | null;
}

/** Reads the diffs of one column (the bytes after its 4-byte length). */
export function parseJsonDiffs(buf: Buffer): JsonDiff[] {
  const r = new ByteReader(buf);
  const out: JsonDiff[] = [];
  while (r.remaining > 0) {
    const op = r.u8();
    if (op > 2) throw new BinlogFormatError(`invalid JSON diff operation ${op}`);
    const path = r.packedString();
    let value: JsonNode | null = null;
    if (op !== JsonDiffOp.REMOVE) value = parseJsonBinary(Buffer.from(r.packedBytes()));
    out.push({ op, path, value });
  }
  return out;
}

type Leg = { key: string } | { index: number; last?: boolean };

export function parseJsonPath(path: string): Leg[] {
  if (!path.startsWith('$')) throw new BinlogFormatError(`JSON diff path "${path}" does not start with $`);
  const legs: Leg[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      i++;
      if (path[i] === '"') {
        let j = i + 1;
        let key = '';
        while (j < path.length && path[j] !== '"') {
          if (path[j] === '\\') j++;
          key += path[j++];
        }
        legs.push({ key });
        i = j + 1;
      } else {
        let j = i;
        while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
        legs.push({ key: path.slice(i, j) });
        i = j;
      }
    } else if (c === '[') {
      const j = path.indexOf(']', i);
      const inner = path.slice(i + 1, j).trim();
      if (inner === 'last') legs.push({ index: -1, last: true });
      else legs.push({ index: Number(inner) });
      i = j + 1;
    } else {
      throw new BinlogFormatError(`cannot parse JSON diff path "${path}" at ${i}`);
    }
  }
  return legs;
}

function clone(n: JsonNode): JsonNode {
  if (n.t === 'arr') return { t: 'arr', v: n.v.map(clone) };
  if (n.t === 'obj') return { t: 'obj', v: new Map([...n.v].map(([k, v]) => [k, clone(v)])) };
  return n;
}

/** Applies diffs to a copy of `doc` and returns the result. */
export function applyJsonDiffs(doc: JsonNode, diffs: JsonDiff[]): JsonNode {
  let root = clone(doc);
  for (const d of diffs) {
    const legs = parseJsonPath(d.path);
    if (legs.length === 0) {
      if (d.op === JsonDiffOp.REMOVE) throw new BinlogFormatError('JSON diff removes the document root');
      root = d.value!;
      continue;
    }
    let parent: JsonNode = root;
    for (const leg of legs.slice(0, -1)) parent = step(parent, leg, d.path);
    const last = legs[legs.length - 1];
    if ('key' in last) {
      if (parent.t !== 'obj')
        throw new BinlogFormatError(`JSON diff path ${d.path} addresses a member of a non-object`);
      if (d.op === JsonDiffOp.REMOVE) parent.v.delete(last.key);
      else {
        parent.v.set(last.key, d.value!);
        if (d.op === JsonDiffOp.INSERT) parent.v = sortKeysMysql(parent.v);
      }
    } else {
      if (parent.t !== 'arr') throw new BinlogFormatError(`JSON diff path ${d.path} indexes a non-array`);
      const idx = last.last ? parent.v.length - 1 : last.index;
      // an index from the data: past the end it would grow a sparse array of that length
      const limit = d.op === JsonDiffOp.INSERT ? parent.v.length : parent.v.length - 1;
      if (!Number.isInteger(idx) || idx < 0 || (idx > limit && d.op !== JsonDiffOp.INSERT)) {
        throw new BinlogFormatError(
          `JSON diff path ${d.path} addresses index ${idx} of an array of ${parent.v.length}`,
        );
      }
      if (d.op === JsonDiffOp.REMOVE) parent.v.splice(idx, 1);
      else if (d.op === JsonDiffOp.INSERT) parent.v.splice(Math.min(idx, parent.v.length), 0, d.value!);
      else parent.v[idx] = d.value!;
    }
  }
  return root;
}

function step(n: JsonNode, leg: Leg, path: string): JsonNode {
  if ('key' in leg) {
    if (n.t === 'obj' && n.v.has(leg.key)) return n.v.get(leg.key)!;
  } else if (n.t === 'arr') {
    const i = leg.last ? n.v.length - 1 : leg.index;
    if (i >= 0 && i < n.v.length) return n.v[i];
  }
  throw new BinlogFormatError(`JSON diff path ${path} does not exist in the before image`);
}
