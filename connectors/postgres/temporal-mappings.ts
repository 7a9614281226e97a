/**
 * Date, time, timestamp(tz), timetz and interval as Debezium maps them under
 * time.precision.mode (adaptive, adaptive_time_microseconds, connect) and interval.handling.mode.
 */
import { ConnectDate, ConnectTimestamp } from '../../sdk/data.ts';
import {
  SemanticTypes,
  zonedTimestampUtc,
  localTimeText,
  durationMicros,
  intervalText,
} from '../shared/debezium/index.ts';
import * as T from './text-values.ts';
import { type MappingSettings, type TypeMapping, simple } from './type-mapping-model.ts';

/** Precision of time/timestamp typmods; -1 (unspecified) means 6. */
function timePrecision(typmod: number): number {
  return typmod < 0 ? 6 : typmod;
}

export function timeMapping(typmod: number, s: MappingSettings): TypeMapping {
  const p = timePrecision(typmod);
  if (s.timePrecisionMode === 'connect')
    return simple(
      () => SemanticTypes.connectTime(),
      (t) => new Date(Math.trunc(T.parseTimeMicros(t) / 1000)),
      new Date(0),
    );
  if (s.timePrecisionMode === 'adaptive' && p <= 3)
    return simple(
      () => SemanticTypes.time(),
      (t) => Math.trunc(T.parseTimeMicros(t) / 1000),
      0,
    );
  return simple(
    () => SemanticTypes.microTime(),
    (t) => T.parseTimeMicros(t),
    0,
  );
}

export function timestampMapping(typmod: number, s: MappingSettings): TypeMapping {
  const p = timePrecision(typmod);
  const micros = (t: string): bigint => {
    const v = T.parseTimestamp(t);
    if (v === 'infinity') return T.POSITIVE_INFINITY_MICROS;
    if (v === '-infinity') return T.NEGATIVE_INFINITY_MICROS;
    return v.micros;
  };
  const asNumber = (v: bigint): number | bigint => (v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v);
  if (s.timePrecisionMode === 'connect')
    return simple(
      () => SemanticTypes.connectTimestamp(),
      (t) => ConnectTimestamp.toLogical(floorDiv(micros(t), 1000n)),
      new Date(0),
    );
  // The common texts take T.parseTimestampMicrosFast (plain numbers), the rest the bigint path.
  if (p <= 3)
    return simple(
      () => SemanticTypes.timestamp(),
      (t) => {
        const us = T.parseTimestampMicrosFast(t);
        return us !== null ? (us - (((us % 1000) + 1000) % 1000)) / 1000 : asNumber(floorDiv(micros(t), 1000n));
      },
      0,
    );
  return simple(
    () => SemanticTypes.microTimestamp(),
    (t) => T.parseTimestampMicrosFast(t) ?? asNumber(micros(t)),
    0,
  );
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

export function timestamptzMapping(typmod: number): TypeMapping {
  const width = timePrecision(typmod);
  return simple(
    () => SemanticTypes.zonedTimestamp(),
    (t) => {
      const v = T.parseTimestamp(t);
      if (v === 'infinity' || v === '-infinity') return v;
      return zonedTimestampUtc(v.micros * 1000n, width);
    },
    '1970-01-01T00:00:00Z',
  );
}

export function timetzMapping(): TypeMapping {
  return simple(
    () => SemanticTypes.zonedTime(),
    (t) => `${localTimeText(BigInt(T.parseTimeTzUtcMicros(t)) * 1000n)}Z`,
    '00:00:00Z',
  );
}

export function dateMapping(s: MappingSettings): TypeMapping {
  const day = (t: string): number => {
    if (t === 'infinity') return 2147483647;
    if (t === '-infinity') return -2147483648;
    return T.parseDate(t);
  };
  if (s.timePrecisionMode === 'connect')
    return simple(
      () => SemanticTypes.connectDate(),
      (t) => ConnectDate.toLogical(day(t)),
      new Date(0),
    );
  return simple(() => SemanticTypes.date(), day, 0);
}

export function intervalMapping(s: MappingSettings): TypeMapping {
  if (s.intervalMode === 'string') {
    return simple(
      () => SemanticTypes.interval(),
      (t) => {
        const i = T.parseInterval(t);
        return intervalText(i.years, i.months, i.days, i.hours, i.minutes, i.seconds);
      },
      'P0Y0M0DT0H0M0S',
    );
  }
  return simple(
    () => SemanticTypes.microDuration(),
    (t) => {
      const i = T.parseInterval(t);
      return javaLongCast(durationMicros(i.years, i.months, i.days, i.hours, i.minutes, i.seconds));
    },
    0,
  );
}

/** Java's (long) cast of a double: saturates at the int64 range; exact beyond 2^53 as a bigint. */
function javaLongCast(d: number): number | bigint {
  if (Number.isNaN(d)) return 0;
  if (d >= 2 ** 63) return 9223372036854775807n;
  if (d <= -(2 ** 63)) return -9223372036854775808n;
  return Number.isSafeInteger(d) ? d : BigInt(d);
}
