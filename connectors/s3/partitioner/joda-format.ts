/**
 * Joda-Time's DateTimeFormat patterns as Confluent's TimeBasedPartitioner formats `path.format`
 * with them: quoted literals ('year'=YYYY), the common fields, in a time zone and locale. Letters
 * this module does not implement are refused when the pattern is compiled, naming the letter.
 */
import { ConfigException } from '../../../sdk/errors.ts';

export interface ZonedFields {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number; // 0..23
  minute: number;
  second: number;
  millis: number;
  weekday: number; // 1 = Monday … 7 = Sunday (ISO, as Joda)
}

type Part = { literal: string } | { letter: string; count: number };

const SUPPORTED = 'yYxMdHhkKmsSEawDe';

/** Splits a Joda pattern into literals and field runs; throws ConfigException for letters it cannot format. */
export function compileJodaPattern(pattern: string, key = 'path.format'): Part[] {
  const parts: Part[] = [];
  for (let i = 0; i < pattern.length;) {
    const ch = pattern[i];
    if (ch === "'") {
      // '' is a literal quote; 'text' is literal text ('' inside it is a quote).
      if (pattern[i + 1] === "'") {
        parts.push({ literal: "'" });
        i += 2;
        continue;
      }
      let text = '';
      let j = i + 1;
      for (; j < pattern.length; j++) {
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            text += "'";
            j++;
            continue;
          }
          break;
        }
        text += pattern[j];
      }
      if (j >= pattern.length)
        throw new ConfigException(
          `Invalid value ${pattern} for configuration ${key}: unterminated quote at position ${i}`,
          { key },
        );
      parts.push({ literal: text });
      i = j + 1;
    } else if (/[A-Za-z]/.test(ch)) {
      let n = 1;
      while (pattern[i + n] === ch) n++;
      if (!SUPPORTED.includes(ch))
        throw new ConfigException(
          `Invalid value ${pattern} for configuration ${key}: the Joda-Time pattern letter '${ch}' is not supported (supported: ${SUPPORTED.split('').join(' ')}; quote literal text, e.g. 'year'=YYYY)`,
          { key },
        );
      parts.push({ letter: ch, count: n });
      i += n;
    } else {
      parts.push({ literal: ch });
      i++;
    }
  }
  return parts;
}

const pad = (v: number, n: number) => (v < 0 ? '-' + String(-v).padStart(n, '0') : String(v).padStart(n, '0'));

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock fields of an instant in a time zone. */
export function zonedFields(epochMs: number, timeZone: string): ZonedFields {
  let f = zoneFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    zoneFormatters.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(new Date(epochMs))) p[part.type] = part.value;
  let year = Number(p.year);
  if (p.era === 'BC' || p.era === 'B') year = 1 - year;
  const fields = {
    year,
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour) % 24,
    minute: Number(p.minute),
    second: Number(p.second),
    millis: ((epochMs % 1000) + 1000) % 1000,
    weekday: 0,
  };
  const dow = new Date(Date.UTC(fields.year, fields.month - 1, fields.day)).getUTCDay();
  fields.weekday = dow === 0 ? 7 : dow;
  return fields;
}

/** Offset of the zone from UTC at an instant, in ms (local = utc + offset). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const f = zonedFields(epochMs, timeZone);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.millis);
  const y = new Date(asUtc);
  if (f.year < 100) y.setUTCFullYear(f.year);
  return y.getTime() - epochMs;
}

/** Joda's DateTimeZone.convertLocalToUTC(local, false). */
export function localToUtc(localMs: number, timeZone: string): number {
  const guess = localMs - zoneOffsetMs(localMs, timeZone);
  return localMs - zoneOffsetMs(guess, timeZone);
}

function isoWeek(f: ZonedFields): { weekYear: number; week: number } {
  const date = Date.UTC(f.year, f.month - 1, f.day);
  const thursday = date + (4 - f.weekday) * 86_400_000;
  const ty = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(ty, 0, 1)) / (7 * 86_400_000)) + 1;
  return { weekYear: ty, week };
}

const nameCache = new Map<string, string[]>();

/** Month or weekday names in the format context (as Java's DateFormatSymbols: "März", "So." in German), cached per language. */
function names(locale: string, kind: 'month' | 'weekday', style: 'long' | 'short'): string[] {
  const cacheKey = `${locale}|${kind}|${style}`;
  const cached = nameCache.get(cacheKey);
  if (cached) return cached;
  const f = new Intl.DateTimeFormat(
    locale || 'en',
    kind === 'month'
      ? { timeZone: 'UTC', day: 'numeric', month: style }
      : { timeZone: 'UTC', weekday: style, day: 'numeric', month: 'long' },
  );
  const pick = (ms: number) => f.formatToParts(ms).find((p) => p.type === kind)!.value;
  // Months from Jan 2021, weekdays Monday 4 Jan 2021 … Sunday 10 Jan 2021.
  const out =
    kind === 'month'
      ? Array.from({ length: 12 }, (_, m) => pick(Date.UTC(2021, m, 15)))
      : Array.from({ length: 7 }, (_, d) => pick(Date.UTC(2021, 0, 4 + d)));
  nameCache.set(cacheKey, out);
  return out;
}

export class JodaFormatter {
  private readonly parts: Part[];
  private readonly monthsLong: string[];
  private readonly monthsShort: string[];
  private readonly daysLong: string[];
  private readonly daysShort: string[];

  constructor(
    pattern: string,
    readonly timeZone: string,
    locale: string,
    key = 'path.format',
  ) {
    this.parts = compileJodaPattern(pattern, key);
    // Confluent builds the locale with `new Locale(locale)`: the whole string is the language, so
    // only a bare language code (en, fr, de) names a locale; anything else (en-US, fr_FR) is an
    // unknown language, for which Java's root locale gives the English abbreviations in both widths.
    const language = /^[A-Za-z]{2,8}$/.test(locale.trim()) ? locale.trim().toLowerCase() : null;
    this.monthsShort = names(language ?? 'en', 'month', 'short');
    this.daysShort = names(language ?? 'en', 'weekday', 'short');
    this.monthsLong = language ? names(language, 'month', 'long') : this.monthsShort;
    this.daysLong = language ? names(language, 'weekday', 'long') : this.daysShort;
  }

  format(epochMs: number): string {
    const f = zonedFields(epochMs, this.timeZone);
    let out = '';
    for (const p of this.parts) {
      if ('literal' in p) {
        out += p.literal;
        continue;
      }
      const n = p.count;
      switch (p.letter) {
        case 'y':
        case 'Y': {
          const y = p.letter === 'Y' && f.year <= 0 ? 1 - f.year : f.year;
          out += n === 2 ? pad(((y % 100) + 100) % 100, 2) : pad(y, n);
          break;
        }
        case 'x': {
          const w = isoWeek(f).weekYear;
          out += n === 2 ? pad(w % 100, 2) : pad(w, n);
          break;
        }
        case 'w':
          out += pad(isoWeek(f).week, n);
          break;
        case 'M':
          out += n >= 4 ? this.monthsLong[f.month - 1] : n === 3 ? this.monthsShort[f.month - 1] : pad(f.month, n);
          break;
        case 'd':
          out += pad(f.day, n);
          break;
        case 'D':
          out += pad(Math.floor((Date.UTC(f.year, f.month - 1, f.day) - Date.UTC(f.year, 0, 1)) / 86_400_000) + 1, n);
          break;
        case 'H':
          out += pad(f.hour, n);
          break;
        case 'k':
          out += pad(f.hour === 0 ? 24 : f.hour, n);
          break;
        case 'K':
          out += pad(f.hour % 12, n);
          break;
        case 'h':
          out += pad(f.hour % 12 === 0 ? 12 : f.hour % 12, n);
          break;
        case 'm':
          out += pad(f.minute, n);
          break;
        case 's':
          out += pad(f.second, n);
          break;
        case 'S':
          out += String(f.millis).padStart(3, '0').slice(0, n).padEnd(n, '0');
          break;
        case 'E':
          out += n >= 4 ? this.daysLong[f.weekday - 1] : this.daysShort[f.weekday - 1];
          break;
        case 'e':
          out += pad(f.weekday, n);
          break;
        case 'a':
          out += f.hour < 12 ? 'AM' : 'PM';
          break;
      }
    }
    return out;
  }
}
