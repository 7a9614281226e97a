/**
 * java.text.SimpleDateFormat formatting in UTC for the pattern letters Kafka Connect users put in
 * TimestampRouter / TimestampConverter configs: y M d H h m s S a E D and quoted literals.
 */
import { ConfigException, DataException } from '../../runtime/errors.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function formatJavaDate(date: Date, pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) {
        out += "'";
        i += 2;
        continue;
      }
      if (end < 0) throw new ConfigException(`Unterminated quote in date format "${pattern}"`);
      out += pattern.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (!/[a-zA-Z]/.test(c)) {
      out += c;
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    out += field(date, c, n, pattern);
    i += n;
  }
  return out;
}

function pad(v: number, n: number): string {
  return String(v).padStart(n, '0');
}

function field(d: Date, c: string, n: number, pattern: string): string {
  switch (c) {
    case 'y': return n === 2 ? pad(d.getUTCFullYear() % 100, 2) : pad(d.getUTCFullYear(), n);
    case 'M': return n >= 4 ? MONTHS[d.getUTCMonth()] : n === 3 ? MONTHS[d.getUTCMonth()].slice(0, 3) : pad(d.getUTCMonth() + 1, n);
    case 'd': return pad(d.getUTCDate(), n);
    case 'H': return pad(d.getUTCHours(), n);
    case 'h': return pad(d.getUTCHours() % 12 || 12, n);
    case 'm': return pad(d.getUTCMinutes(), n);
    case 's': return pad(d.getUTCSeconds(), n);
    case 'S': return pad(d.getUTCMilliseconds(), n);
    case 'a': return d.getUTCHours() < 12 ? 'AM' : 'PM';
    case 'E': return n >= 4 ? DAYS[d.getUTCDay()] : DAYS[d.getUTCDay()].slice(0, 3);
    case 'D': return pad(Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, n);
    case 'Z': return '+0000';
    case 'X': return 'Z';
    default:
      throw new ConfigException(`Unsupported pattern letter '${c}' in date format "${pattern}"; supported: y M d H h m s S a E D Z X and quoted text`);
  }
}

/**
 * SimpleDateFormat parsing (UTC unless the pattern has a zone) for the same pattern letters:
 * the pattern becomes a regular expression with one group per field.
 */
export function parseJavaDate(text: string, pattern: string): Date {
  const fields: string[] = [];
  let re = '';
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) {
        re += "'";
        i += 2;
        continue;
      }
      if (end < 0) throw new ConfigException(`Unterminated quote in date format "${pattern}"`);
      re += escapeRe(pattern.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    if (!/[a-zA-Z]/.test(c)) {
      re += escapeRe(c);
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    fields.push(c);
    if (c === 'Z' || c === 'X') re += '(Z|[+-]\\d{2}:?\\d{2}|[+-]\\d{2})';
    else if (c === 'a') re += '(AM|PM|am|pm)';
    else if (c === 'M' && n >= 3) re += '([A-Za-z]+)';
    else if (c === 'E') re += '([A-Za-z]+)';
    else if (c === 'S') re += n === 1 ? '(\\d+)' : `(\\d{1,${n}})`;
    else re += n === 1 ? '(\\d+)' : `(\\d{${n}})`;
    i += n;
  }
  const m = new RegExp(`^${re}$`).exec(text.trim());
  if (!m) throw new DataException(`Could not parse timestamp: value (${text}) does not match pattern (${pattern})`);
  let y = 1970, mo = 0, d = 1, h = 0, mi = 0, s = 0, ms = 0, offsetMin = 0, pm: boolean | null = null;
  fields.forEach((f, idx) => {
    const v = m[idx + 1];
    switch (f) {
      case 'y': y = v.length === 2 ? 2000 + Number(v) : Number(v); break;
      case 'M': mo = /^\d+$/.test(v) ? Number(v) - 1 : MONTHS.findIndex((x) => x.toLowerCase().startsWith(v.toLowerCase())); break;
      case 'd': d = Number(v); break;
      case 'H': h = Number(v); break;
      case 'h': h = Number(v) % 12; break;
      case 'm': mi = Number(v); break;
      case 's': s = Number(v); break;
      case 'S': ms = Number(v); break;
      case 'a': pm = v.toUpperCase() === 'PM'; break;
      case 'Z': case 'X': {
        if (v !== 'Z') {
          const mm = /^([+-])(\d{2}):?(\d{2})?$/.exec(v)!;
          offsetMin = (mm[1] === '-' ? -1 : 1) * (Number(mm[2]) * 60 + Number(mm[3] ?? 0));
        }
        break;
      }
    }
  });
  if (pm === true) h += 12;
  return new Date(Date.UTC(y, mo, d, h, mi, s, ms) - offsetMin * 60_000);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
