/**
 * Parsers for PostgreSQL's text output of built-in types (what pgoutput sends and what the
 * snapshot SELECT returns), producing the numbers Debezium's encodings need. Sessions run with
 * DateStyle=ISO, IntervalStyle=iso_8601 and TimeZone=UTC (see connection.ts).
 */
import { DataException } from '../../sdk/errors.ts';

/** Days since 1970-01-01 of a proleptic Gregorian date (astronomical year numbering). */
export function epochDay(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const DATE_RE = /^(\d{4,})-(\d{2})-(\d{2})( BC)?$/;
const TIME_RE = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?/;

function bcYear(year: number, bc: boolean): number {
  return bc ? 1 - year : year;
}

/** The value of `len` ASCII digits at `at`, or -1 when one of them is not a digit. */
function digitsAt(text: string, at: number, len: number): number {
  let v = 0;
  for (let i = at; i < at + len; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * An integer column's text (`-?[0-9]+`) as a number: up to 15 digits read by a digit loop (exact,
 * below 2^53), which V8's general string-to-number conversion is several times slower at; anything
 * else through Number, as before. int8 values beyond 2^53 are for the caller to read as bigint.
 */
export function parseIntegerText(text: string): number {
  const n = text.length;
  const negative = text.charCodeAt(0) === 0x2d;
  let i = negative ? 1 : 0;
  if (n - i < 1 || n - i > 15) return Number(text);
  let v = 0;
  for (; i < n; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return Number(text);
    v = v * 10 + d;
  }
  return negative ? -v : v;
}

/** 'YYYY-MM-DD[ BC]' → epoch day. */
export function parseDate(text: string): number {
  // The common form, a four-digit year AD, without the regular expression.
  if (text.length === 10 && text.charCodeAt(4) === 0x2d && text.charCodeAt(7) === 0x2d) {
    const y = digitsAt(text, 0, 4);
    const mo = digitsAt(text, 5, 2);
    const d = digitsAt(text, 8, 2);
    if (y >= 0 && mo >= 0 && d >= 0) return epochDay(y, mo, d);
  }
  const m = DATE_RE.exec(text);
  if (!m) throw new DataException(`Unexpected date value "${text}"`);
  return epochDay(bcYear(Number(m[1]), m[4] !== undefined), Number(m[2]), Number(m[3]));
}

function fractionMicros(frac: string | undefined): number {
  if (!frac) return 0;
  return Number((frac + '000000').slice(0, 6));
}

function fractionNanos(frac: string | undefined): number {
  if (!frac) return 0;
  return Number((frac + '000000000').slice(0, 9));
}

/** 'HH:MM:SS[.ffffff]' → microseconds past midnight (24:00:00 allowed). */
export function parseTimeMicros(text: string): number {
  const m = TIME_RE.exec(text);
  if (!m) throw new DataException(`Unexpected time value "${text}"`);
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1_000_000 + fractionMicros(m[4]);
}

const TS_RE =
  /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?( BC)?$/;

export interface ParsedTimestamp {
  /** Epoch microseconds of the local date-time (timestamp) or of the instant (timestamptz, offset applied). */
  micros: bigint;
  nanoOfSecond: number;
}

export const POSITIVE_INFINITY_MICROS = 9223372036825200000n;
export const NEGATIVE_INFINITY_MICROS = -9223372036832400000n;

/**
 * Epoch micros of the common timestamp text, `YYYY-MM-DD HH:MM:SS[.f…]` (four-digit year AD, no
 * offset, no more than 9 fraction digits) within ±2^53 µs (years 1684–2255), with no regular expression or bigint:
 * exactly what parseTimestamp gives for it. Anything else: null.
 */
export function parseTimestampMicrosFast(text: string): number | null {
  const n = text.length;
  if (
    n < 19 ||
    n > 29 ||
    n === 20 ||
    text.charCodeAt(4) !== 0x2d ||
    text.charCodeAt(7) !== 0x2d ||
    (text.charCodeAt(10) !== 0x20 && text.charCodeAt(10) !== 0x54) ||
    text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a ||
    (n > 19 && text.charCodeAt(19) !== 0x2e)
  )
    return null;
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2);
  const h = digitsAt(text, 11, 2);
  const mi = digitsAt(text, 14, 2);
  const sec = digitsAt(text, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return null;
  let frac = 0;
  if (n > 19) {
    // The first six fraction digits, zero-padded: microseconds (later digits are cut, as fractionMicros).
    const digits = n - 20;
    const micro = digitsAt(text, 20, Math.min(digits, 6));
    if (micro < 0 || (digits > 6 && digitsAt(text, 26, digits - 6) < 0)) return null;
    frac = digits >= 6 ? micro : micro * 10 ** (6 - digits);
  }
  const day = epochDay(y, mo, d);
  if (day <= -100_000 || day >= 100_000) return null; // day × 86,400,000,000 stays below 2^53
  return day * 86_400_000_000 + ((h * 60 + mi) * 60 + sec) * 1_000_000 + frac;
}

/** timestamp / timestamptz text → epoch micros (offset applied when present). */
export function parseTimestamp(text: string): ParsedTimestamp | 'infinity' | '-infinity' {
  if (text === 'infinity' || text === '-infinity') return text;
  const m = TS_RE.exec(text);
  if (!m) throw new DataException(`Unexpected timestamp value "${text}"`);
  const day = epochDay(bcYear(Number(m[1]), m[12] !== undefined), Number(m[2]), Number(m[3]));
  const secs = (Number(m[4]) * 60 + Number(m[5])) * 60 + Number(m[6]);
  let micros = BigInt(day) * 86_400_000_000n + BigInt(secs) * 1_000_000n + BigInt(fractionMicros(m[7]));
  if (m[8]) {
    const off = (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0)) * (m[8] === '-' ? -1 : 1);
    micros -= BigInt(off) * 1_000_000n;
  }
  return { micros, nanoOfSecond: fractionNanos(m[7]) };
}

const TIMETZ_RE = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/;

/** timetz text → micros past midnight in UTC (wrapped into one day). */
export function parseTimeTzUtcMicros(text: string): number {
  const m = TIMETZ_RE.exec(text);
  if (!m) throw new DataException(`Unexpected time with time zone value "${text}"`);
  const local = ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1_000_000 + fractionMicros(m[4]);
  const off = (Number(m[6]) * 3600 + Number(m[7] ?? 0) * 60 + Number(m[8] ?? 0)) * (m[5] === '-' ? -1 : 1);
  const day = 86_400_000_000;
  return (((local - off * 1_000_000) % day) + day) % day;
}

export interface IntervalParts {
  years: number;
  months: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const ISO_INTERVAL_RE =
  /^P(?:(-?\d+)Y)?(?:(-?\d+)M)?(?:(-?\d+)W)?(?:(-?\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?\d+(?:\.\d+)?)S)?)?$/;

/** IntervalStyle=iso_8601 text (`P1Y2M3DT4H5M6.5S`, `PT0S`, `P-1D`) → components. */
export function parseInterval(text: string): IntervalParts {
  const m = ISO_INTERVAL_RE.exec(text);
  if (!m) throw new DataException(`Unexpected interval value "${text}" (expected IntervalStyle iso_8601)`);
  const n = (s: string | undefined): number => (s ? Number(s) : 0);
  return {
    years: n(m[1]),
    months: n(m[2]),
    days: n(m[4]) + 7 * n(m[3]),
    hours: n(m[5]),
    minutes: n(m[6]),
    seconds: n(m[7]),
  };
}

/** bytea hex output `\x0a0b…` → bytes. */
export function parseBytea(text: string): Buffer {
  if (text.startsWith('\\x')) return Buffer.from(text.slice(2), 'hex');
  throw new DataException('bytea values must use bytea_output=hex');
}

/** A bit string ('1010', most significant first) → little-endian bytes, at least `minBytes` long (Debezium Bits). */
export function bitsToLittleEndian(text: string, minBytes: number): Buffer {
  const n = Math.max(minBytes, Math.ceil(text.length / 8));
  const out = Buffer.alloc(n);
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(text.length - 1 - i) === 0x31) out[i >> 3] |= 1 << (i & 7);
  }
  return out;
}

/** One-dimensional array literal `{a,"b c",NULL}` → element texts (null for NULL). */
export function parseArrayLiteral(text: string): Array<string | null> {
  let s = text;
  if (s.startsWith('[')) s = s.slice(s.indexOf('=') + 1); // explicit bounds, e.g. [0:1]={1,2}
  if (!s.startsWith('{') || !s.endsWith('}')) throw new DataException(`Unexpected array value "${text}"`);
  const out: Array<string | null> = [];
  let i = 1;
  const end = s.length - 1;
  if (end === 1) return out;
  while (i <= end) {
    if (s[i] === '{') throw new DataException(`Multi-dimensional arrays are not supported: "${text}"`);
    if (s[i] === '"') {
      let v = '';
      i++;
      while (i < end && s[i] !== '"') {
        if (s[i] === '\\') i++;
        v += s[i++];
      }
      i++; // closing quote
      out.push(v);
    } else {
      let j = i;
      while (j < end && s[j] !== ',') j++;
      const raw = s.slice(i, j).trim();
      out.push(raw.toUpperCase() === 'NULL' ? null : raw);
      i = j;
    }
    i++; // delimiter or closing brace
  }
  return out;
}

/** hstore output `"a"=>"1", "b"=>NULL` → entries. */
export function parseHstore(text: string): Array<[string, string | null]> {
  const out: Array<[string, string | null]> = [];
  let i = 0;
  const readQuoted = (): string => {
    if (text[i] !== '"') throw new DataException(`Unexpected hstore value "${text}"`);
    i++;
    let v = '';
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      v += text[i++];
    }
    i++;
    return v;
  };
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (i >= text.length) break;
    const k = readQuoted();
    if (text.slice(i, i + 2) !== '=>') throw new DataException(`Unexpected hstore value "${text}"`);
    i += 2;
    if (text.startsWith('NULL', i)) {
      out.push([k, null]);
      i += 4;
    } else {
      out.push([k, readQuoted()]);
    }
  }
  return out;
}

/** point output `(x,y)` → coordinates. */
export function parsePoint(text: string): { x: number; y: number } {
  const m = /^\(([^,]+),([^)]+)\)$/.exec(text);
  if (!m) throw new DataException(`Unexpected point value "${text}"`);
  return { x: Number(m[1]), y: Number(m[2]) };
}

/** WKB of a 2D point, little-endian (as io.debezium.data.geometry.Point builds it). */
export function pointWkb(x: number, y: number): Buffer {
  const b = Buffer.alloc(21);
  b[0] = 1;
  b.writeUInt32LE(1, 1);
  b.writeDoubleLE(x, 5);
  b.writeDoubleLE(y, 13);
  return b;
}
