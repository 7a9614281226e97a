/**
 * Temporal row-image encodings: DATE, old TIME/DATETIME/TIMESTAMP, and the MySQL 5.6.4+ TIME2,
 * DATETIME2 and TIMESTAMP2 with fractional seconds. Values stay as calendar fields (zero dates are
 * legal) — conversion to epoch units happens in the connector's value converters.
 */
export interface MysqlDate {
  year: number;
  month: number;
  day: number;
}
export interface MysqlDateTime extends MysqlDate {
  hour: number;
  minute: number;
  second: number;
  micros: number;
}
/** A TIME value as signed microseconds (−838:59:59 … 838:59:59). */
export type MysqlTime = number;
/** A TIMESTAMP value: seconds since the epoch (UTC) and microseconds. */
export interface MysqlTimestamp {
  seconds: number;
  micros: number;
}

export function fractionBytes(fsp: number): number {
  return (fsp + 1) >> 1;
}

/** Microseconds from `fractionBytes(fsp)` big-endian bytes. */
export function readFraction(buf: Buffer, offset: number, fsp: number): number {
  switch (fractionBytes(fsp)) {
    case 1:
      return buf[offset] * 10000;
    case 2:
      return buf.readUInt16BE(offset) * 100;
    case 3:
      return buf.readUIntBE(offset, 3);
    default:
      return 0;
  }
}

export function decodeDate(buf: Buffer, offset: number): MysqlDate {
  const v = buf.readUIntLE(offset, 3);
  return { year: v >>> 9, month: (v >>> 5) & 15, day: v & 31 };
}

export function decodeDatetime2(buf: Buffer, offset: number, fsp: number): MysqlDateTime {
  const packed = buf.readUIntBE(offset, 5) - 0x8000000000;
  const ymdhms = Math.abs(packed);
  const ymd = Math.floor(ymdhms / 2 ** 17);
  const ym = Math.floor(ymd / 32);
  const hms = ymdhms % 2 ** 17;
  return {
    year: Math.floor(ym / 13),
    month: ym % 13,
    day: ymd % 32,
    hour: hms >>> 12,
    minute: (hms >>> 6) & 63,
    second: hms & 63,
    micros: readFraction(buf, offset + 5, fsp),
  };
}

export function decodeTimestamp2(buf: Buffer, offset: number, fsp: number): MysqlTimestamp {
  return { seconds: buf.readUInt32BE(offset), micros: readFraction(buf, offset + 4, fsp) };
}

const TIMEF_OFS = 0x800000000000n;
const TIMEF_INT_OFS = 0x800000;

export function decodeTime2(buf: Buffer, offset: number, fsp: number): MysqlTime {
  let tmp: bigint;
  switch (fractionBytes(fsp)) {
    case 1:
    case 2: {
      const width = fractionBytes(fsp);
      let intPart = buf.readUIntBE(offset, 3) - TIMEF_INT_OFS;
      let frac = buf.readUIntBE(offset + 3, width);
      if (intPart < 0 && frac !== 0) {
        intPart++;
        frac -= width === 1 ? 0x100 : 0x10000;
      }
      tmp = (BigInt(intPart) << 24n) + BigInt(frac * (width === 1 ? 10000 : 100));
      break;
    }
    case 3:
      tmp = BigInt(buf.readUIntBE(offset, 6)) - TIMEF_OFS;
      break;
    default:
      tmp = BigInt(buf.readUIntBE(offset, 3) - TIMEF_INT_OFS) << 24n;
  }
  const negative = tmp < 0n;
  if (negative) tmp = -tmp;
  const hms = Number(tmp >> 24n);
  const micros = Number(tmp % (1n << 24n));
  const hour = (hms >>> 12) % 1024;
  const minute = (hms >>> 6) % 64;
  const second = hms % 64;
  const total = ((hour * 60 + minute) * 60 + second) * 1_000_000 + micros;
  return negative ? -total : total;
}

/** Old TIME (type 11): 3-byte LE signed HHMMSS. */
export function decodeTimeOld(buf: Buffer, offset: number): MysqlTime {
  const v = buf.readIntLE(offset, 3);
  const a = Math.abs(v);
  const total = (Math.floor(a / 10000) * 3600 + (Math.floor(a / 100) % 100) * 60 + (a % 100)) * 1_000_000;
  return v < 0 ? -total : total;
}

/** Old DATETIME (type 12): 8-byte LE integer YYYYMMDDhhmmss. */
export function decodeDatetimeOld(buf: Buffer, offset: number): MysqlDateTime {
  const v = buf.readBigUInt64LE(offset);
  const date = Number(v / 1000000n);
  const time = Number(v % 1000000n);
  return {
    year: Math.floor(date / 10000),
    month: Math.floor(date / 100) % 100,
    day: date % 100,
    hour: Math.floor(time / 10000),
    minute: Math.floor(time / 100) % 100,
    second: time % 100,
    micros: 0,
  };
}

export function formatTime(t: MysqlTime, fsp = 6): string {
  const neg = t < 0;
  const a = Math.abs(t);
  const secs = Math.floor(a / 1_000_000);
  const frac = a % 1_000_000;
  const s = `${neg ? '-' : ''}${String(Math.floor(secs / 3600)).padStart(2, '0')}:${String(Math.floor(secs / 60) % 60).padStart(2, '0')}:${String(secs % 60).padStart(2, '0')}`;
  return fsp > 0 ? `${s}.${String(frac).padStart(6, '0').slice(0, fsp)}` : s;
}

export function formatDatetime(d: MysqlDateTime, fsp = 6): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const s = `${p(d.year, 4)}-${p(d.month)}-${p(d.day)} ${p(d.hour)}:${p(d.minute)}:${p(d.second)}`;
  return fsp > 0 ? `${s}.${p(d.micros, 6).slice(0, fsp)}` : s;
}

export function formatDate(d: MysqlDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}
