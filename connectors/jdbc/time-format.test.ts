/**
 * The number-arithmetic fast paths of the JDBC sink's time text (years 1..9999) against the
 * bigint paths that handle any int64 instant: the same text for every value, null outside.
 */
import { describe, expect, it } from 'vitest';
import { SchemaBuilder } from '../../sdk/data.ts';
import { dateOfDays, utcWallOfMicros, utcWallOfMillis, wallTime } from './time-format.ts';
import { bindValue, columnTypeOf, tagTemporal } from './type-mapping.ts';
import { seededRandom as random } from '../../test/helpers/seeded-random.ts';

const MS_PER_DAY = 86_400_000;
const FIRST_DAY = -719_162; // 0001-01-01
const LAST_DAY = 2_932_896; // 9999-12-31
const FIRST_MS = FIRST_DAY * MS_PER_DAY;
const LAST_MS = (LAST_DAY + 1) * MS_PER_DAY - 1;

const slowWall = (ms: number, micros: number) => wallTime(BigInt(ms) * 1000n + BigInt(micros), 'UTC');

describe('JDBC sink time text fast paths', () => {
  it('writes dates as the bigint path does, for every day of some years and random days of all', () => {
    const rnd = random(1);
    const days: number[] = [FIRST_DAY, FIRST_DAY + 1, LAST_DAY, LAST_DAY - 1, 0, -1, 1];
    for (let d = -800; d < 1200; d++) days.push(d); // 1967..1973, leap year 1968 and 1972
    for (let d = 10_950; d < 11_400; d++) days.push(d); // 1999..2001, 2000 a leap year
    for (let i = 0; i < 20_000; i++) days.push(FIRST_DAY + Math.floor(rnd() * (LAST_DAY - FIRST_DAY + 1)));
    for (const d of days) expect(dateOfDays(d), `day ${d}`).toBe(dateOfDays(BigInt(d)));
  });

  it('writes timestamps as the bigint path does, with their microseconds', () => {
    const rnd = random(2);
    const cases: Array<[number, number]> = [
      [FIRST_MS, 0],
      [LAST_MS, 999],
      [0, 0],
      [-1, 999],
      [-1000, 1],
      [951_782_400_000, 0], // 2000-02-29
      [1_709_214_330_123, 456],
    ];
    for (let i = 0; i < 50_000; i++)
      cases.push([FIRST_MS + Math.floor(rnd() * (LAST_MS - FIRST_MS + 1)), Math.floor(rnd() * 1000)]);
    for (const [ms, us] of cases) expect(utcWallOfMillis(ms, us), `${ms} ms + ${us} µs`).toBe(slowWall(ms, us));
    for (const [ms, us] of cases.slice(0, 5000)) {
      const micros = ms * 1000 + us;
      if (Number.isSafeInteger(micros)) expect(utcWallOfMicros(micros), `${micros} µs`).toBe(slowWall(ms, us));
    }
  });

  it('leaves years outside 1..9999 and non-integers to the bigint path', () => {
    expect(utcWallOfMillis(FIRST_MS - 1, 0)).toBeNull();
    expect(utcWallOfMillis(LAST_MS + 1, 0)).toBeNull();
    expect(utcWallOfMillis(1.5, 0)).toBeNull();
    expect(utcWallOfMicros(2 ** 53)).toBeNull();
  });

  it('binds Timestamp, MicroTimestamp and Date values on both databases as before', () => {
    const ts = SchemaBuilder.int64().name('org.apache.kafka.connect.data.Timestamp').build();
    const micro = SchemaBuilder.int64().name('io.debezium.time.MicroTimestamp').build();
    const rnd = random(3);
    for (let i = 0; i < 5000; i++) {
      const ms = FIRST_MS + Math.floor(rnd() * (LAST_MS - FIRST_MS + 1));
      const us = Math.floor(rnd() * 1000);
      for (const postgres of [true, false]) {
        expect(bindValue(columnTypeOf(ts, 'ts'), new Date(ms), 'UTC', 'ts', postgres)).toBe(slowWall(ms, 0));
        const m = ms * 1000 + us;
        if (Number.isSafeInteger(m))
          expect(bindValue(columnTypeOf(micro, 'm'), tagTemporal(micro, m), 'UTC', 'm', postgres)).toBe(
            slowWall(ms, us),
          );
      }
    }
    // outside the fast range the bigint path still answers (year 10000 on MySQL as Java writes it)
    expect(bindValue(columnTypeOf(ts, 'ts'), new Date(LAST_MS + 1), 'UTC', 'ts', false)).toBe(
      '+10000-01-01 00:00:00.000000',
    );
  });
});
