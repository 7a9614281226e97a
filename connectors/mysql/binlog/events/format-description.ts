/** FORMAT_DESCRIPTION_EVENT: binlog version, server version, post-header lengths, checksum algorithm. */
import type { ByteReader } from '../byte-reader.ts';

export const ChecksumAlg = { OFF: 0, CRC32: 1, UNDEF: 255 } as const;

export interface FormatDescriptionEvent {
  kind: 'formatDescription';
  binlogVersion: number;
  serverVersion: string;
  createTimestamp: number;
  headerLength: number;
  /** Post-header length per event type, indexed by type − 1. */
  postHeaderLengths: Buffer;
  checksumAlg: number;
  mariadb: boolean;
}

/** `body` is the event without its 19-byte header (and with the CRC trailer still present). */
export function parseFormatDescription(r: ByteReader): FormatDescriptionEvent {
  const binlogVersion = r.u16();
  const raw = r.bytes(50);
  const nul = raw.indexOf(0);
  const serverVersion = raw.toString('latin1', 0, nul < 0 ? 50 : nul);
  const createTimestamp = r.u32();
  const headerLength = r.u8();
  // Checksum-aware servers (MySQL ≥ 5.6.1, MariaDB ≥ 5.3) always end the FDE with alg byte + 4-byte CRC slot.
  const checksumAware = versionAtLeast(serverVersion, [5, 6, 1]) || /mariadb/i.test(serverVersion);
  const tail = checksumAware ? 5 : 0;
  const postHeaderLengths = Buffer.from(r.bytes(r.remaining - tail));
  const checksumAlg = checksumAware ? r.u8() : ChecksumAlg.OFF;
  return {
    kind: 'formatDescription',
    binlogVersion,
    serverVersion,
    createTimestamp,
    headerLength,
    postHeaderLengths,
    checksumAlg,
    mariadb: /mariadb/i.test(serverVersion),
  };
}

export function versionAtLeast(version: string, want: number[]): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const v = [Number(m[1]), Number(m[2]), Number(m[3])];
  for (let i = 0; i < 3; i++) if (v[i] !== want[i]) return v[i] > want[i];
  return true;
}

/** The FDE assumed before the first real one arrives (a v4 MySQL 5.6+ layout with CRC32 unknown). */
export function defaultFormatDescription(): FormatDescriptionEvent {
  const lengths = Buffer.alloc(256, 0);
  lengths[19 - 1] = 8; // TABLE_MAP
  for (const t of [23, 24, 25]) lengths[t - 1] = 8;
  for (const t of [30, 31, 32, 39]) lengths[t - 1] = 10;
  return {
    kind: 'formatDescription',
    binlogVersion: 4,
    serverVersion: '',
    createTimestamp: 0,
    headerLength: 19,
    postHeaderLengths: lengths,
    checksumAlg: ChecksumAlg.UNDEF,
    mariadb: false,
  };
}
