/**
 * Kafka Connect's logical types: Decimal (bytes, scale parameter), Date (int32 days),
 * Time (int32 millis of day) and Timestamp (int64 epoch millis). In memory Decimal is a
 * BigDecimal (unscaled bigint + scale, never a binary float) and the temporal types are JS Dates;
 * a Date or Timestamp beyond a JS Date's range (±8.64e15 ms) is an EpochMillis, since Java's
 * java.util.Date holds any int64 of milliseconds (PostgreSQL's ±infinity under connect mode).
 */
import { DataException } from '../errors.ts';
import { type Schema, SchemaBuilder, registerLogicalValidator } from './schema.ts';

/** An arbitrary-precision decimal (unscaled bigint and scale), the value of a Decimal field. */
export class BigDecimal {
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {}

  static parse(text: string): BigDecimal {
    return parsePlainDecimal(text) ?? BigDecimal.parseGeneral(text);
  }

  private static parseGeneral(text: string): BigDecimal {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new DataException(`Not a decimal number: "${text}"`);
    const frac = m[3] ?? '';
    let scale = frac.length - (m[4] ? Number(m[4]) : 0);
    let unscaled = BigInt(`${m[1]}${m[2] || '0'}${frac}`);
    if (scale < 0) {
      unscaled *= 10n ** BigInt(-scale);
      scale = 0;
    }
    return new BigDecimal(unscaled, scale);
  }

  static fromNumber(n: number): BigDecimal {
    if (!Number.isFinite(n)) throw new DataException(`Cannot represent ${n} as a decimal`);
    return BigDecimal.parse(String(n));
  }

  setScale(scale: number): BigDecimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new BigDecimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    const div = 10n ** BigInt(this.scale - scale);
    if (this.unscaled % div !== 0n)
      throw new DataException(`Rounding necessary to rescale ${this.toString()} to scale ${scale}`);
    return new BigDecimal(this.unscaled / div, scale);
  }

  toString(): string {
    const neg = this.unscaled < 0n;
    let digits = (neg ? -this.unscaled : this.unscaled).toString();
    if (this.scale <= 0) return (neg ? '-' : '') + digits + '0'.repeat(-this.scale);
    digits = digits.padStart(this.scale + 1, '0');
    return `${neg ? '-' : ''}${digits.slice(0, digits.length - this.scale)}.${digits.slice(digits.length - this.scale)}`;
  }

  toNumber(): number {
    return Number(this.toString());
  }

  equals(other: unknown): boolean {
    return other instanceof BigDecimal && other.unscaled === this.unscaled && other.scale === this.scale;
  }
}

/**
 * The common case of BigDecimal.parse without a regular expression or string building: an optional
 * sign, digits and an optional fraction, 15 digits at most (exact in a double). Anything else: null.
 */
function parsePlainDecimal(text: string): BigDecimal | null {
  const n = text.length;
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 0x2d /* - */ || first === 0x2b /* + */) {
    negative = first === 0x2d;
    i = 1;
  }
  let unscaled = 0;
  let digits = 0;
  let scale = -1;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      unscaled = unscaled * 10 + (c - 0x30);
      digits++;
      if (scale >= 0) scale++;
    } else if (c === 0x2e /* . */ && scale < 0) {
      scale = 0;
    } else {
      return null;
    }
  }
  if (digits === 0 || digits > 15) return null;
  return new BigDecimal(BigInt(negative ? -unscaled : unscaled), scale < 0 ? 0 : scale);
}

/** Kafka Connect's Decimal logical type: bytes holding a two's-complement unscaled value, with the scale as a schema parameter. */
export const Decimal = {
  LOGICAL_NAME: 'org.apache.kafka.connect.data.Decimal',
  SCALE_FIELD: 'scale',
  builder(scale: number): SchemaBuilder {
    return SchemaBuilder.bytes().name(Decimal.LOGICAL_NAME).parameter(Decimal.SCALE_FIELD, String(scale)).version(1);
  },
  schema(scale: number): Schema {
    return Decimal.builder(scale).build();
  },
  scaleOf(schema: Schema): number {
    const s = schema.parameters?.[Decimal.SCALE_FIELD];
    if (s === undefined) throw new DataException('Invalid Decimal schema: scale parameter not found.');
    return Number(s);
  },
  /** Two's-complement big-endian bytes of the unscaled value, as Decimal.fromLogical. */
  fromLogical(schema: Schema, value: BigDecimal): Buffer {
    const scale = Decimal.scaleOf(schema);
    if (value.scale !== scale)
      throw new DataException(
        `BigDecimal has mismatching scale value for given Decimal schema: ${value.scale} != ${scale}`,
      );
    return bigintToTwosComplement(value.unscaled);
  },
  toLogical(schema: Schema, bytes: Uint8Array): BigDecimal {
    return new BigDecimal(twosComplementToBigint(bytes), Decimal.scaleOf(schema));
  },
};

/** The big-endian two's-complement bytes of a bigint (Java's BigInteger.toByteArray). */
export function bigintToTwosComplement(v: bigint): Buffer {
  // minimal width whose signed range holds v, as BigInteger.toByteArray
  if (v >= -140737488355328n && v < 140737488355328n) {
    // fast path within ±2^47: plain number arithmetic
    const n = Number(v);
    let width = 1;
    while (n < -(2 ** (width * 8 - 1)) || n >= 2 ** (width * 8 - 1)) width++;
    const out = Buffer.allocUnsafe(width);
    out.writeIntBE(n, 0, width);
    return out;
  }
  let width = 1;
  while (v < -(1n << BigInt(width * 8 - 1)) || v >= 1n << BigInt(width * 8 - 1)) width++;
  const u = v < 0n ? (1n << BigInt(width * 8)) + v : v;
  return Buffer.from(u.toString(16).padStart(width * 2, '0'), 'hex');
}

/** The bigint of big-endian two's-complement bytes (Java's new BigInteger(bytes)). */
export function twosComplementToBigint(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let v = BigInt('0x' + Buffer.from(bytes).toString('hex'));
  if (bytes[0] & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return v;
}

const MILLIS_PER_DAY = 86_400_000;
/** The largest |epoch millis| a JS Date holds. */
const DATE_RANGE_MILLIS = 8_640_000_000_000_000;

/** A Connect Date/Timestamp value beyond a JS Date's range: any int64 of epoch milliseconds, exact. */
export class EpochMillis {
  constructor(readonly millis: bigint) {
    if (BigInt.asIntN(64, millis) !== millis) throw new DataException(`Epoch milliseconds ${millis} are beyond int64`);
  }

  equals(other: unknown): boolean {
    return other instanceof EpochMillis && other.millis === this.millis;
  }
}

/** The value of a Connect Date or Timestamp: a JS Date, or an EpochMillis beyond a Date's range. */
export type EpochValue = Date | EpochMillis;

/** A Date for epoch millis within a JS Date's range, an EpochMillis beyond it (an int64). */
export function epochValue(millis: number | bigint): EpochValue {
  const n = Number(millis);
  if (Math.abs(n) <= DATE_RANGE_MILLIS) return new Date(n);
  return new EpochMillis(BigInt(millis));
}

/** The epoch millis of a Date/Timestamp value: a number when a safe integer, else a bigint. */
export function epochMillisOf(value: EpochValue): number | bigint {
  if (value instanceof Date) return value.getTime();
  const n = Number(value.millis);
  return Number.isSafeInteger(n) ? n : value.millis;
}

/** Kafka Connect's Date logical type: an int32 of days since the epoch, a JS Date at midnight UTC (or an EpochMillis) as value. */
export const ConnectDate = {
  LOGICAL_NAME: 'org.apache.kafka.connect.data.Date',
  builder: (): SchemaBuilder => SchemaBuilder.int32().name(ConnectDate.LOGICAL_NAME).version(1),
  schema: (): Schema => ConnectDate.builder().build(),
  fromLogical(value: EpochValue): number {
    const ms = value instanceof Date ? BigInt(value.getTime()) : value.millis;
    if (ms % BigInt(MILLIS_PER_DAY) !== 0n)
      throw new DataException('Kafka Connect Date type should not have any time fields set to non-zero values.');
    // Kafka's (int) cast of the day count
    return Number(BigInt.asIntN(32, ms / BigInt(MILLIS_PER_DAY)));
  },
  toLogical: (days: number): EpochValue => epochValue(BigInt(days) * BigInt(MILLIS_PER_DAY)),
};

/** Kafka Connect's Time logical type: an int32 of milliseconds since midnight, a JS Date on 1970-01-01 as value. */
export const ConnectTime = {
  LOGICAL_NAME: 'org.apache.kafka.connect.data.Time',
  builder: (): SchemaBuilder => SchemaBuilder.int32().name(ConnectTime.LOGICAL_NAME).version(1),
  schema: (): Schema => ConnectTime.builder().build(),
  fromLogical(value: Date): number {
    const ms = value.getTime();
    // Kafka's Time.fromLogical accepts 86400000 (24:00:00, a valid PostgreSQL time).
    if (ms < 0 || ms > MILLIS_PER_DAY)
      throw new DataException('Kafka Connect Time type should not have any date fields set to non-zero values.');
    return ms;
  },
  toLogical: (millis: number): Date => new Date(millis),
};

/** Kafka Connect's Timestamp logical type: an int64 of milliseconds since the epoch, a JS Date (or an EpochMillis) as value. */
export const ConnectTimestamp = {
  LOGICAL_NAME: 'org.apache.kafka.connect.data.Timestamp',
  builder: (): SchemaBuilder => SchemaBuilder.int64().name(ConnectTimestamp.LOGICAL_NAME).version(1),
  schema: (): Schema => ConnectTimestamp.builder().build(),
  fromLogical: (value: EpochValue): number | bigint => epochMillisOf(value),
  toLogical: (millis: number | bigint): EpochValue => epochValue(millis),
};

registerLogicalValidator(Decimal.LOGICAL_NAME, (schema, value, path) => {
  if (!(value instanceof BigDecimal))
    throw new DataException(`Invalid value for Decimal field "${path}": expected BigDecimal, got ${typeof value}`);
  if (schema.parameters?.scale !== undefined && Number(schema.parameters.scale) !== value.scale) {
    throw new DataException(
      `Decimal field "${path}" has scale ${value.scale} but its schema says ${schema.parameters.scale}`,
    );
  }
});
for (const name of [ConnectDate.LOGICAL_NAME, ConnectTime.LOGICAL_NAME, ConnectTimestamp.LOGICAL_NAME]) {
  const wide = name !== ConnectTime.LOGICAL_NAME;
  registerLogicalValidator(name, (_schema, value, path) => {
    if (wide && value instanceof EpochMillis) return;
    if (!(value instanceof Date) || Number.isNaN(value.getTime()))
      throw new DataException(
        `Invalid value for ${name} field "${path}": expected a valid Date${wide ? ' or EpochMillis' : ''}`,
      );
  });
}
