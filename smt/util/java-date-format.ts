/**
 * java.text.SimpleDateFormat formatting in UTC for the pattern letters Kafka Connect users put in
 * TimestampRouter / TimestampConverter configs: y M d H h m s S a E D and quoted literals.
 */
import { ConfigException } from '../../runtime/errors.ts';

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
