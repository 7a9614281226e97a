/**
 * java.text.SimpleDateFormat in UTC with the US locale, as Kafka Connect's TimestampConverter,
 * TimestampRouter and Cast use it: the same pattern letters (G y Y M L w W D d F E u a H k K h m s S
 * z Z X), quoting rules, number padding, abutting-field parsing, two-digit-year resolution and
 * lenient (rolling) field values. An invalid pattern fails at construction with Java's message.
 * Like java.util.GregorianCalendar, instants before the Gregorian cutover (1582-10-15) are in the
 * Julian calendar (-62135596800000 prints 0001-01-03).
 */
import {
  type CalendarFields,
  DAY_MS,
  EPOCH_JDN,
  GREGORIAN_CUTOVER_MS,
  calendarFieldsOf,
  julianToJdn,
  weekOfYear,
} from './gregorian-calendar.ts';

const LETTERS = 'GyYMLwWDdFEuaHkKhmsSzZX';
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const NUMERIC = new Set('yYwWDdFuHkKhmsS');

/** Zone abbreviations SimpleDateFormat parses with the `z` letter (fixed offsets, minutes east of UTC). */
const ZONES: Record<string, number> = {
  UTC: 0,
  GMT: 0,
  UT: 0,
  Z: 0,
  'Coordinated Universal Time': 0,
  'Greenwich Mean Time': 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AKST: -540,
  AKDT: -480,
  HST: -600,
  CET: 60,
  CEST: 120,
  MET: 60,
  MEST: 120,
  EET: 120,
  EEST: 180,
  WET: 0,
  WEST: 60,
  BST: 60,
  IST: 330,
  JST: 540,
  KST: 540,
  AEST: 600,
  AEDT: 660,
  NZST: 720,
  NZDT: 780,
};

type Token = { kind: 'literal'; text: string } | { kind: 'field'; letter: string; count: number };

export class IllegalPatternError extends Error {}

export class ParseError extends Error {
  constructor(readonly errorIndex: number) {
    super(`Unparseable date (error at index ${errorIndex})`);
  }
}

function compile(pattern: string): Token[] {
  const tokens: Token[] = [];
  const addLiteral = (text: string) => {
    const last = tokens[tokens.length - 1];
    if (last && last.kind === 'literal') last.text += text;
    else tokens.push({ kind: 'literal', text });
  };
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i];
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        addLiteral("'");
        i += 2;
        continue;
      }
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= pattern.length) throw new IllegalPatternError('Unterminated quote');
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += pattern[j++];
      }
      addLiteral(text);
      i = j + 1;
      continue;
    }
    if (!/[a-zA-Z]/.test(c)) {
      addLiteral(c);
      i++;
      continue;
    }
    if (!LETTERS.includes(c)) throw new IllegalPatternError(`Illegal pattern character '${c}'`);
    let n = 1;
    while (pattern[i + n] === c) n++;
    if (c === 'X' && n > 3) throw new IllegalPatternError(`invalid ISO 8601 format: length=${n}`);
    tokens.push({ kind: 'field', letter: c, count: n });
    i += n;
  }
  return tokens;
}

function pad(v: number, n: number): string {
  const s = String(Math.abs(v));
  return (v < 0 ? '-' : '') + (s.length >= n ? s : '0'.repeat(n - s.length) + s);
}

function formatField(f: CalendarFields, letter: string, count: number): string {
  const era = f.year <= 0 ? 0 : 1;
  const yearOfEra = era === 1 ? f.year : 1 - f.year;
  switch (letter) {
    case 'G':
      return era === 1 ? 'AD' : 'BC';
    case 'y':
      return count === 2 ? pad(yearOfEra % 100, 2) : pad(yearOfEra, count);
    case 'Y': {
      const wy = weekOfYear(f).weekYear;
      return count === 2 ? pad(wy % 100, 2) : pad(wy, count);
    }
    case 'M':
    case 'L':
      return count >= 4 ? MONTHS[f.month] : count === 3 ? MONTHS[f.month].slice(0, 3) : pad(f.month + 1, count);
    case 'w':
      return pad(weekOfYear(f).week, count);
    case 'W': {
      const firstDow = (((f.dow - (f.day - 1)) % 7) + 7) % 7;
      return pad(Math.floor((f.day - 1 + firstDow) / 7) + 1, count);
    }
    case 'D':
      return pad(f.doy, count);
    case 'd':
      return pad(f.day, count);
    case 'F':
      return pad(Math.floor((f.day - 1) / 7) + 1, count);
    case 'E':
      return count >= 4 ? DAYS[f.dow] : DAYS[f.dow].slice(0, 3);
    case 'u':
      return pad(f.dow === 0 ? 7 : f.dow, count);
    case 'a':
      return f.hour < 12 ? 'AM' : 'PM';
    case 'H':
      return pad(f.hour, count);
    case 'k':
      return pad(f.hour === 0 ? 24 : f.hour, count);
    case 'K':
      return pad(f.hour % 12, count);
    case 'h':
      return pad(f.hour % 12 === 0 ? 12 : f.hour % 12, count);
    case 'm':
      return pad(f.minute, count);
    case 's':
      return pad(f.second, count);
    case 'S':
      return pad(f.milli, count);
    case 'z':
      return count >= 4 ? 'Coordinated Universal Time' : 'UTC';
    case 'Z':
      return '+0000';
    case 'X':
      return 'Z';
  }
  return '';
}

interface Parsed {
  era?: number;
  year?: number;
  weekYear?: number;
  month?: number;
  day?: number;
  doy?: number;
  hourOfDay?: number;
  hour12?: number;
  pm?: boolean;
  minute?: number;
  second?: number;
  milli?: number;
  offsetMinutes?: number;
}

export class SimpleDateFormat {
  private readonly tokens: Token[];

  /** Throws IllegalPatternError (Java's IllegalArgumentException) for an invalid pattern. */
  constructor(readonly pattern: string) {
    this.tokens = compile(pattern);
  }

  toPattern(): string {
    return this.pattern;
  }

  format(date: Date): string {
    const f = calendarFieldsOf(date);
    let out = '';
    for (const t of this.tokens) out += t.kind === 'literal' ? t.text : formatField(f, t.letter, t.count);
    return out;
  }

  /** DateFormat#parse: leading text must match the whole pattern; trailing text is ignored. Throws ParseError. */
  parse(text: string, now: Date = new Date()): Date {
    const p: Parsed = {};
    let pos = 0;
    for (let ti = 0; ti < this.tokens.length; ti++) {
      const t = this.tokens[ti];
      if (t.kind === 'literal') {
        if (!text.startsWith(t.text, pos)) throw new ParseError(pos);
        pos += t.text.length;
        continue;
      }
      const next = this.tokens[ti + 1];
      const abutting = next !== undefined && next.kind === 'field' && isNumericField(next.letter, next.count);
      pos = this.parseField(text, pos, t.letter, t.count, abutting, p, now);
    }
    return resolve(p);
  }

  private parseField(
    text: string,
    pos: number,
    letter: string,
    count: number,
    obeyCount: boolean,
    p: Parsed,
    now: Date,
  ): number {
    const number = (): { value: number; end: number; digits: number } => {
      let end = pos;
      let sign = 1;
      if ((text[end] === '-' || text[end] === '+') && !obeyCount) {
        sign = text[end] === '-' ? -1 : 1;
        end++;
      }
      const start = end;
      const limit = obeyCount ? start + count : text.length;
      while (end < limit && end < text.length && text[end] >= '0' && text[end] <= '9') end++;
      if (end === start || (obeyCount && end - start !== count)) throw new ParseError(pos);
      return { value: sign * Number(text.slice(start, end)), end, digits: end - start };
    };
    const oneOf = (names: readonly string[]): { index: number; end: number } => {
      let best = -1;
      let bestLen = 0;
      names.forEach((name, index) => {
        if (name.length > bestLen && text.slice(pos, pos + name.length).toLowerCase() === name.toLowerCase()) {
          best = index;
          bestLen = name.length;
        }
      });
      if (best < 0) throw new ParseError(pos);
      return { index: best, end: pos + bestLen };
    };
    switch (letter) {
      case 'G': {
        const r = oneOf(['BC', 'AD']);
        p.era = r.index;
        return r.end;
      }
      case 'y':
      case 'Y': {
        const r = number();
        let year = r.value;
        if (count <= 2 && r.digits === 2 && /^\d\d$/.test(text.slice(pos, r.end))) {
          const startYear = now.getUTCFullYear() - 80;
          year = Math.floor(startYear / 100) * 100 + r.value;
          if (year < startYear) year += 100;
        }
        if (letter === 'y') p.year = year;
        else p.weekYear = year;
        return r.end;
      }
      case 'M':
      case 'L': {
        if (count <= 2) {
          const r = number();
          p.month = r.value - 1;
          return r.end;
        }
        const r = oneOf([...MONTHS, ...MONTHS.map((m) => m.slice(0, 3))]);
        p.month = r.index % 12;
        return r.end;
      }
      case 'E':
        return oneOf([...DAYS, ...DAYS.map((d) => d.slice(0, 3))]).end;
      case 'a': {
        const r = oneOf(['AM', 'PM']);
        p.pm = r.index === 1;
        return r.end;
      }
      case 'd': {
        const r = number();
        p.day = r.value;
        return r.end;
      }
      case 'D': {
        const r = number();
        p.doy = r.value;
        return r.end;
      }
      case 'H': {
        const r = number();
        p.hourOfDay = r.value;
        return r.end;
      }
      case 'k': {
        const r = number();
        p.hourOfDay = r.value === 24 ? 0 : r.value;
        return r.end;
      }
      case 'K': {
        const r = number();
        p.hour12 = r.value;
        return r.end;
      }
      case 'h': {
        const r = number();
        p.hour12 = r.value === 12 ? 0 : r.value;
        return r.end;
      }
      case 'm': {
        const r = number();
        p.minute = r.value;
        return r.end;
      }
      case 's': {
        const r = number();
        p.second = r.value;
        return r.end;
      }
      case 'S': {
        const r = number();
        p.milli = r.value;
        return r.end;
      }
      case 'w':
      case 'W':
      case 'F':
      case 'u':
        return number().end;
      case 'z':
      case 'Z':
      case 'X': {
        const r = parseZone(text, pos);
        if (!r) throw new ParseError(pos);
        p.offsetMinutes = r.offset;
        return r.end;
      }
    }
    throw new ParseError(pos);
  }
}

function isNumericField(letter: string, count: number): boolean {
  return NUMERIC.has(letter) || ((letter === 'M' || letter === 'L') && count <= 2);
}

function parseZone(text: string, pos: number): { offset: number; end: number } | null {
  const rest = text.slice(pos);
  const numeric = (s: string, at: number): { offset: number; end: number } | null => {
    const m = /^([+-])(\d{1,2})(?::?(\d{2}))?/.exec(s);
    if (!m) return null;
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
    return { offset: (m[1] === '-' ? -1 : 1) * minutes, end: at + m[0].length };
  };
  const gmt = /^(GMT|UTC|UT)/.exec(rest);
  if (gmt) {
    const after = numeric(rest.slice(gmt[0].length), pos + gmt[0].length);
    return after ?? { offset: 0, end: pos + gmt[0].length };
  }
  const n = numeric(rest, pos);
  if (n) return n;
  let best: string | null = null;
  for (const name of Object.keys(ZONES))
    if (rest.startsWith(name) && (best === null || name.length > best.length)) best = name;
  return best === null ? null : { offset: ZONES[best], end: pos + best.length };
}

function resolve(p: Parsed): Date {
  let year = p.year ?? p.weekYear ?? 1970;
  if (p.era === 0) year = 1 - year;
  const d = new Date(0);
  if (p.doy !== undefined && p.month === undefined && p.day === undefined) d.setUTCFullYear(year, 0, p.doy);
  else d.setUTCFullYear(year, p.month ?? 0, p.day ?? 1);
  const hour = p.hourOfDay ?? (p.hour12 ?? 0) + (p.pm ? 12 : 0);
  d.setUTCHours(hour, p.minute ?? 0, p.second ?? 0, p.milli ?? 0);
  if (d.getTime() < GREGORIAN_CUTOVER_MS) {
    // The same fields read as a Julian date, as GregorianCalendar does before its cutover.
    const y = year + Math.floor((p.month ?? 0) / 12);
    const jan1 = julianToJdn(y, 1, 1);
    const first =
      p.doy !== undefined && p.month === undefined && p.day === undefined
        ? jan1 + p.doy - 1
        : julianToJdn(y, ((((p.month ?? 0) % 12) + 12) % 12) + 1, 1) + (p.day ?? 1) - 1;
    d.setTime((first - EPOCH_JDN) * DAY_MS + (d.getTime() - Math.floor(d.getTime() / DAY_MS) * DAY_MS));
  }
  return new Date(d.getTime() - (p.offsetMinutes ?? 0) * 60_000);
}

/** Values.dateFormatFor: the ISO-8601 format Kafka Connect uses to print a java.util.Date (UTC). */
export function dateFormatFor(value: Date): SimpleDateFormat {
  const ms = value.getTime();
  if (ms < DAY_MS) return ISO_TIME;
  if (ms % DAY_MS === 0) return ISO_DATE;
  return ISO_TIMESTAMP;
}

export const ISO_DATE = new SimpleDateFormat('yyyy-MM-dd');
export const ISO_TIME = new SimpleDateFormat("HH:mm:ss.SSS'Z'");
export const ISO_TIMESTAMP = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
