/**
 * Exact text forms of temporal values for binding: epoch microseconds (a bigint, so no
 * sub-millisecond digits are lost through a JS Date) rendered as wall-clock text in a zone.
 */
const MICROS_PER_DAY = 86_400_000_000n;
const formatters = new Map<string, Intl.DateTimeFormat>();

const pad = (n: number | bigint, w: number) => String(n).padStart(w, '0');
const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));

function utcWall(micros: bigint): string {
  const days = floorDiv(micros, MICROS_PER_DAY);
  const inDay = micros - days * MICROS_PER_DAY;
  const { year, month, day } = civilOfDays(days);
  return `${yearText(year)}-${pad(month, 2)}-${pad(day, 2)} ${timeOfMicros(inDay)}${year <= 0n ? ' BC' : ''}`;
}

/**
 * Proleptic Gregorian year/month/day of a day count since 1970-01-01, for any int64 day count
 * (Howard Hinnant's civil_from_days): a Connect Date/Timestamp may lie far beyond a JS Date.
 */
function civilOfDays(days: bigint): { year: bigint; month: number; day: number } {
  const z = days + 719_468n;
  const era = floorDiv(z, 146_097n);
  const doe = z - era * 146_097n;
  const yoe = (doe - doe / 1460n + doe / 36_524n - doe / 146_096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const day = Number(doy - (153n * mp + 2n) / 5n + 1n);
  const month = Number(mp < 10n ? mp + 3n : mp - 9n);
  return { year: yoe + era * 400n + (month <= 2 ? 1n : 0n), month, day };
}

/** The year as pgjdbc writes it: 4 digits at least, years up to 0 as 1 BC, 2 BC, … (the caller appends BC). */
const yearText = (year: bigint) => pad(year <= 0n ? 1n - year : year, 4);

/** `YYYY-MM-DD` (`YYYY-MM-DD BC` up to year 0) of a day count since 1970-01-01. */
export function dateOfDays(days: number | bigint): string {
  if (typeof days === 'number' && days >= MIN_FAST_DAYS && days <= MAX_FAST_DAYS) return fastDate(days);
  const { year, month, day } = civilOfDays(BigInt(days));
  return `${yearText(year)}-${pad(month, 2)}-${pad(day, 2)}${year <= 0n ? ' BC' : ''}`;
}

/** `HH:MM:SS.ffffff` of microseconds within a day (24:00:00 allowed for exactly one day). */
export function timeOfMicros(micros: bigint): string {
  const total = micros / 1_000_000n;
  const frac = micros % 1_000_000n;
  const h = total / 3600n;
  const m = (total / 60n) % 60n;
  const s = total % 60n;
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(frac, 6)}`;
}

function offsetMinutes(epochMs: number, timeZone: string): number {
  let f = formatters.get(timeZone);
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
    formatters.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(epochMs))) parts[p.type] = p.value;
  let year = Number(parts.year);
  if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
  const asUtc = Date.UTC(
    year,
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const floored = Math.floor(epochMs / 1000) * 1000;
  return Math.round((asUtc - floored) / 60000);
}

// Years 1..9999 in plain number arithmetic: what nearly every value is, several times faster than
// the bigint path above (which stays for any int64 instant). Both give the same text there.
const MS_PER_DAY = 86_400_000;
const MIN_FAST_DAYS = -719_162; // 0001-01-01
const MAX_FAST_DAYS = 2_932_896; // 9999-12-31
const MIN_FAST_MS = MIN_FAST_DAYS * MS_PER_DAY;
const MAX_FAST_MS = (MAX_FAST_DAYS + 1) * MS_PER_DAY - 1;
const TWO_DIGITS = Array.from({ length: 100 }, (_x, i) => String(i).padStart(2, '0'));

function fastDate(days: number): string {
  // civil_from_days as above; z ≥ 0 for years ≥ 1, so the divisions need no floor of negatives
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${year >= 1000 ? year : String(year).padStart(4, '0')}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}`;
}

/**
 * `utcWall` of epoch millis plus 0..999 microseconds within the milli, for years 1..9999; null
 * outside them (or for a millis value that is not an integer).
 */
export function utcWallOfMillis(ms: number, microsOfMilli: number): string | null {
  if (!(ms >= MIN_FAST_MS && ms <= MAX_FAST_MS) || !Number.isInteger(ms)) return null;
  let inDay = ms % MS_PER_DAY;
  if (inDay < 0) inDay += MS_PER_DAY;
  const days = (ms - inDay) / MS_PER_DAY;
  const secs = Math.floor(inDay / 1000);
  const frac = (inDay - secs * 1000) * 1000 + microsOfMilli;
  const fracText = frac >= 100_000 ? String(frac) : String(frac).padStart(6, '0');
  return `${fastDate(days)} ${TWO_DIGITS[Math.floor(secs / 3600)]}:${TWO_DIGITS[Math.floor(secs / 60) % 60]}:${TWO_DIGITS[secs % 60]}.${fracText}`;
}

/** utcWallOfMillis of a safe-integer count of epoch microseconds. */
export function utcWallOfMicros(micros: number): string | null {
  if (!Number.isSafeInteger(micros)) return null;
  let rem = micros % 1000;
  if (rem < 0) rem += 1000;
  return utcWallOfMillis((micros - rem) / 1000, rem);
}

export const isUtcZone = (timeZone: string): boolean =>
  timeZone === 'UTC' || timeZone === 'Etc/UTC' || timeZone === 'Z';

/** `YYYY-MM-DD HH:MM:SS.ffffff` wall-clock time in `timeZone` of an instant given in epoch micros. */
export function wallTime(micros: bigint, timeZone: string): string {
  if (isUtcZone(timeZone)) return utcWall(micros);
  const ms = Number(floorDiv(micros, 1000n));
  // Beyond a JS Date no zone rules apply (and no database takes such a timestamp): UTC's wall time.
  if (Math.abs(ms) > 8.64e15) return utcWall(micros);
  return utcWall(micros + BigInt(offsetMinutes(ms, timeZone)) * 60_000_000n);
}

/** Epoch micros of an ISO-8601 timestamp with offset (Debezium ZonedTimestamp), keeping all 9 fraction digits' first 6. */
export function parseZonedTimestamp(text: string): bigint | null {
  const m =
    /^([+-]?\d{4,6})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/.exec(
      text.trim(),
    );
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  if (Number.isNaN(ms)) return null;
  let micros = BigInt(ms) * 1000n + BigInt((m[7] ?? '').padEnd(6, '0').slice(0, 6) || '0');
  if (m[8] !== 'Z') {
    const sign = m[8][0] === '-' ? -1n : 1n;
    const digits = m[8].slice(1).replace(':', '');
    const offMin = BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
    micros -= sign * offMin * 60_000_000n;
  }
  return micros;
}

/** `HH:MM:SS.ffffff` in UTC of an ISO time with offset (Debezium ZonedTime), or null when malformed. */
export function parseZonedTimeToUtc(text: string): string | null {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/.exec(text.trim());
  if (!m) return null;
  let micros =
    BigInt(Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0)) * 1_000_000n +
    BigInt((m[4] ?? '').padEnd(6, '0').slice(0, 6) || '0');
  if (m[5] !== 'Z') {
    const sign = m[5][0] === '-' ? -1n : 1n;
    const digits = m[5].slice(1).replace(':', '');
    micros -= sign * BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000_000n;
  }
  micros = ((micros % MICROS_PER_DAY) + MICROS_PER_DAY) % MICROS_PER_DAY;
  return timeOfMicros(micros);
}
