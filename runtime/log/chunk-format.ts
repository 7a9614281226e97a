/**
 * The binary layout of the embedded log's record batches: the constants the encoder and decoder
 * share (the encoder is `chunk-encoder.ts`, the reader `chunk-decoder.ts`, the cleaner's batches
 * `compacted-chunk.ts`, the per-batch index `chunk-index.ts`). Records are stored in batches ("chunks"), one LMDB entry per
 * chunk, like Kafka's record batches: an append of 500 records costs a few LMDB puts, not 500.
 *
 * Chunk (the value of a `records` entry, keyed by partition id + base offset), version 2:
 *   u8 magic 0x54 | u8 version 2 | u16 reserved | u32 crc | u32 count | f64 maxTimestamp | records...
 * `crc` is the CRC32C of everything after it (count, max timestamp, records), as in Kafka's record
 * batches; every read verifies it. Version 1 (stores written before checksums) has no crc:
 *   u8 magic 0x54 | u8 version 1 | u16 reserved | u32 count | f64 maxTimestamp | records...
 * and is still read: its framing is checked (the record lengths must add up to the batch), the
 * bytes cannot be. Version 3 is written only by the log cleaner (compaction), whose batches have
 * gaps, so each record carries its offset delta from the batch's base (Kafka's offsetDelta):
 *   u8 magic 0x54 | u8 version 3 | u16 reserved | u32 crc | u32 count | f64 maxTimestamp
 *   | u32 span | f64 deleteHorizonMs | per record: u32 offsetDelta | record
 * `span` is how many offsets the batch covers (the next batch starts at base + span, as Kafka's
 * lastOffsetDelta keeps a compacted batch's last offset); deltas are strictly increasing and below
 * the span. `deleteHorizonMs` (KIP-534): once the time passes, the cleaner drops the batch's
 * tombstones; -1 = none set. The crc covers everything after it, as in version 2.
 * Appends keep writing version 2: offsets there are dense (base + index), 4 bytes per record
 * smaller, and the framing does not depend on the offset, so chunks are encoded before the write
 * transaction assigns offsets.
 * Record (versions 1 and 2: offset = chunk base + index):
 *   u32 length of what follows | f64 timestamp | i32 keyLength (-1 = null) | key
 *   | i32 valueLength (-1 = null) | value | u32 headerCount
 *   | per header: u32 keyLength | key (UTF-8) | i32 valueLength (-1 = null) | value
 * All integers big-endian.
 */
export const CHUNK_MAGIC = 0x54;
export const CHUNK_VERSION = 2;
/** Header size of the current version. */
export const CHUNK_HEADER_BYTES = 20;
/** Header size of version 1 (stores written before checksums). */
export const V1_HEADER_BYTES = 16;
/** Header size of version 3 (compacted batches). */
export const V3_HEADER_BYTES = 32;
/** Version of the batches the log cleaner writes. */
export const COMPACTED_CHUNK_VERSION = 3;
/** Where the checksummed part of a version-2 chunk starts (after the crc field). */
export const CRC_FROM = 8;
/** A chunk closes when adding the next record would make it bigger than this (a single bigger record gets a chunk of its own). */
export const MAX_CHUNK_BYTES = 256 * 1024;
/** ...or when it holds this many records. */
export const MAX_CHUNK_RECORDS = 4096;
