/**
 * Value helpers for Debezium's temporal encodings that every source needs: ISO strings as Java's
 * ISO_OFFSET_DATE_TIME / ISO_OFFSET_TIME print them, and MicroDuration / Interval arithmetic.
 * Instants are carried as bigint nanoseconds (or micros) so no precision is lost.
 */

/** Java's ISO fraction: none when zero, else the shortest of 3/6/9 digits unless a fixed width is given. */
export function isoFraction(nanoOfSecond: number, fixedWidth?: number): string {
  if (fixedWidth !== undefined && fixedWidth > 0 && fixedWidth <= 9) {
    return '.' + String(nanoOfSecond).padStart(9, '0').slice(0, fixedWidth);
  }
  if (nanoOfSecond === 0) return '';
  // DateTimeFormatter.ISO_LOCAL_TIME uses appendFraction(NANO, 0, 9, true): trailing zeros stripped.
  return '.' + String(nanoOfSecond).padStart(9, '0').replace(/0+$/, '');
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function isoDate(epochDay: number): string {
  const d = new Date(epochDay * 86_400_000);
  const y = d.getUTCFullYear();
  const year = y > 9999 ? `+${y}` : y < 0 ? `-${String(-y).padStart(4, '0')}` : String(y).padStart(4, '0');
  return `${year}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/**
 * io.debezium.time.ZonedTimestamp text for an instant in UTC: `2018-06-20T13:37:03.123456Z`.
 * `fractionWidth` > 0 pads the fraction to that many digits (Debezium ≥2.2 passes the column precision).
 */
export function zonedTimestampUtc(epochNanos: bigint, fractionWidth?: number): string {
  let day = epochNanos / 86_400_000_000_000n;
  let nanoOfDay = epochNanos % 86_400_000_000_000n;
  if (nanoOfDay < 0n) {
    nanoOfDay += 86_400_000_000_000n;
    day -= 1n;
  }
  return `${isoDate(Number(day))}T${localTimeText(nanoOfDay, fractionWidth)}Z`;
}

/** HH:mm:ss[.fraction] for a nano-of-day. */
export function localTimeText(nanoOfDay: bigint, fractionWidth?: number): string {
  const totalSeconds = Number(nanoOfDay / 1_000_000_000n);
  const nanos = Number(nanoOfDay % 1_000_000_000n);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return `${pad2(h)}:${pad2(m)}:${pad2(s)}${isoFraction(nanos, fractionWidth)}`;
}

/** Java ZoneOffset.getId(): `Z` for zero, else `+HH:MM` (or `+HH:MM:SS`). */
export function zoneOffsetId(offsetSeconds: number): string {
  if (offsetSeconds === 0) return 'Z';
  const sign = offsetSeconds < 0 ? '-' : '+';
  const abs = Math.abs(offsetSeconds);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  return `${sign}${pad2(h)}:${pad2(m)}${s ? `:${pad2(s)}` : ''}`;
}

/** MicroDuration as Debezium computes it: months are 365.25/12 days, result truncated to a long. */
export const DAYS_PER_MONTH_AVG = 365.25 / 12.0;
export function durationMicros(
  years: number,
  months: number,
  days: number,
  hours: number,
  minutes: number,
  seconds: number,
  micros = 0,
  daysPerMonthAvg = DAYS_PER_MONTH_AVG,
): number {
  const numberOfDays = (years * 12 + months) * daysPerMonthAvg + days;
  const numberOfSeconds = ((numberOfDays * 24 + hours) * 60 + minutes) * 60 + seconds;
  return Math.trunc(numberOfSeconds * 1e6 + micros);
}

/** io.debezium.time.Interval text: `P<y>Y<m>M<d>DT<h>H<m>M<s>S` with seconds as a plain decimal. */
export function intervalText(
  years: number,
  months: number,
  days: number,
  hours: number,
  minutes: number,
  seconds: number,
): string {
  const secText = Number.isInteger(seconds) ? String(seconds) : String(Number(seconds.toFixed(6)));
  return `P${years}Y${months}M${days}DT${hours}H${minutes}M${secText}S`;
}
