import type { ConfigDef } from '../config/config-def.ts';
import type { Schema } from '../data/schema.ts';
import type { Headers } from '../data/headers.ts';
import type { MaybePromise } from './connector.ts';

/** Connect data: a value with its schema (null for schemaless data). */
export interface SchemaAndValue {
  schema: Schema | null;
  value: unknown;
}

/**
 * Turns Connect data into bytes for the log and back. Converters with remote state (a schema
 * registry) may return promises; the worker awaits only when one is returned.
 */
export interface Converter {
  configure(configs: Record<string, string>, isKey: boolean): void;
  fromConnectData(topic: string, schema: Schema | null, value: unknown, headers?: Headers): MaybePromise<Buffer | null>;
  toConnectData(topic: string, value: Buffer | null, headers?: Headers): MaybePromise<SchemaAndValue>;
  config(): ConfigDef;
  close?(): MaybePromise<void>;
  version?(): string;
  /**
   * Optional: called by the worker once no Buffer this converter's fromConnectData returned so far
   * is referenced any more (a source task's records were copied into the Kafka producer's
   * batches); the converter may then reuse the memory behind those Buffers.
   */
  recycleOutput?(): void;
  /**
   * Optional, with releaseOutput: ends a generation of output (the Buffers returned so far) and
   * returns its mark. The worker calls releaseOutput(mark) once none of that generation's Buffers
   * is referenced any more (the log write of those records has committed); the converter may then
   * reuse their memory, and must keep every later Buffer intact.
   */
  markOutput?(): number;
  releaseOutput?(mark: number): void;
}

/** Turns header values into bytes and back (Kafka Connect's HeaderConverter). */
export interface HeaderConverter {
  configure(configs: Record<string, string>): void;
  fromConnectHeader(topic: string, headerKey: string, schema: Schema | null, value: unknown): Buffer | null;
  toConnectHeader(topic: string, headerKey: string, value: Buffer | null): SchemaAndValue;
  config(): ConfigDef;
  close?(): void;
  version?(): string;
}
