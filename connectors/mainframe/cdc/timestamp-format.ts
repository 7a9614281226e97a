/**
 * Parses mainframe CDC timestamps by a SimpleDateFormat-like pattern (yyyy, MM, dd, HH, mm, ss,
 * S… fraction, literals) as UTC, e.g. Db2's `yyyy-MM-dd-HH.mm.ss.SSSSSS` or `yyyyMMddHHmmss`.
 * `epoch_ms` / `epoch_s` read numbers.
 */
export type TimestampParser = (text: string) => number;

const TOKENS: Array<[RegExp, string]> = [
  [/^yyyy/, 'y'],
  [/^MM/, 'M'],
  [/^dd/, 'd'],
  [/^HH/, 'H'],
  [/^mm/, 'm'],
  [/^ss/, 's'],
];

export function timestampParser(pattern: string): TimestampParser {
  if (pattern === 'epoch_ms') return (t) => Number(t);
  if (pattern === 'epoch_s') return (t) => Number(t) * 1000;
  let re = '';
  const parts: string[] = [];
  let i = 0;
  while (i < pattern.length) {
    const rest = pattern.slice(i);
    const tok = TOKENS.find(([r]) => r.test(rest));
    if (tok) {
      const len = tok[0].source.length - 1;
      re += `(\\d{${len}})`;
      parts.push(tok[1]);
      i += len;
      continue;
    }
    if (pattern[i] === 'S') {
      let n = 0;
      while (pattern[i + n] === 'S') n++;
      re += `(\\d{1,${n}})`;
      parts.push('S');
      i += n;
      continue;
    }
    if (/[A-Za-z]/.test(pattern[i]))
      throw new Error(
        `unsupported pattern letter '${pattern[i]}' in timestamp format "${pattern}" (use yyyy MM dd HH mm ss S)`,
      );
    re += pattern[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    i++;
  }
  const regex = new RegExp(`^${re}$`);
  return (text) => {
    const m = regex.exec(text.trim());
    if (!m) throw new Error(`timestamp "${text}" does not match the format "${pattern}"`);
    const v: Record<string, number> = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0 };
    parts.forEach((p, k) => {
      v[p] = p === 'S' ? Number(m[k + 1].padEnd(3, '0').slice(0, 3)) : Number(m[k + 1]);
    });
    return Date.UTC(v.y, v.M - 1, v.d, v.H, v.m, v.s, v.S);
  };
}
