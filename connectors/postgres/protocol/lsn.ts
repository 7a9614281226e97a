/** PostgreSQL log sequence numbers: 64-bit positions printed as `X/Y` (two hex halves). */

export type Lsn = bigint;

export function parseLsn(text: string): Lsn {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  if (!m) throw new Error(`Not an LSN: "${text}"`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

export function formatLsn(lsn: Lsn): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** PostgreSQL timestamps on the wire: microseconds since 2000-01-01 00:00:00 UTC. */
export const PG_EPOCH_OFFSET_MICROS = 946_684_800_000_000n;
export const pgTimestampToUnixMicros = (pgMicros: bigint): bigint => pgMicros + PG_EPOCH_OFFSET_MICROS;
export const unixMicrosToPgTimestamp = (unixMicros: bigint): bigint => unixMicros - PG_EPOCH_OFFSET_MICROS;
