/**
 * The S3 sink's keys, named and defaulted as Confluent's S3 sink (S3SinkConnectorConfig,
 * StorageCommonConfig, PartitionerConfig, StorageSinkConnectorConfig), resolved into one settings
 * object. Keys of Confluent's connector that Tributary does not implement are refused with the
 * fix, never ignored.
 */
import { ConfigDef, ParsedConfig, Validators, type ConfigValue } from '../../runtime/config/config-def.ts';
import { ConfigException } from '../../runtime/errors.ts';
import type { FormatSettings, S3CompressionType } from './format/format.ts';

export const S3_SINK_CLASS = 'io.confluent.connect.s3.S3SinkConnector';
export const S3_STORAGE_CLASS = 'io.confluent.connect.s3.storage.S3Storage';

const G_S3 = 'S3';
const G_STORAGE = 'Storage';
const G_PARTITIONER = 'Partitioner';
const G_FORMAT = 'Format';
const MIB = 1024 * 1024;

export const S3_SINK_CONFIG = new ConfigDef()
  .define({
    name: 's3.bucket.name',
    type: 'STRING',
    importance: 'HIGH',
    group: G_S3,
    documentation: 'The S3 bucket.',
    validator: Validators.nonEmptyString(),
  })
  .define({
    name: 's3.region',
    type: 'STRING',
    defaultValue: 'us-west-2',
    importance: 'MEDIUM',
    group: G_S3,
    documentation: 'The AWS region of the bucket.',
  })
  .define({
    name: 'store.url',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    group: G_S3,
    documentation: 'Endpoint of an S3-compatible store (e.g. http://minio:9000); empty: AWS S3 of s3.region.',
  })
  .define({
    name: 's3.path.style.access.enabled',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    group: G_S3,
    documentation: 'Path-style addressing (endpoint/bucket/key) instead of virtual-hosted (bucket.endpoint/key).',
  })
  .define({
    name: 'aws.access.key.id',
    type: 'STRING',
    defaultValue: '',
    importance: 'HIGH',
    group: G_S3,
    documentation:
      'Access key id; empty: the standard AWS credential provider chain (environment, profile, container/instance role).',
  })
  .define({
    name: 'aws.secret.access.key',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'HIGH',
    group: G_S3,
    documentation: 'Secret access key, with aws.access.key.id.',
  })
  .define({
    name: 's3.credentials.provider.class',
    type: 'CLASS',
    defaultValue: 'com.amazonaws.auth.DefaultAWSCredentialsProviderChain',
    importance: 'LOW',
    group: G_S3,
    documentation:
      'Only the default provider chain is supported (DefaultAWSCredentialsProviderChain / DefaultCredentialsProvider).',
  })
  .define({
    name: 's3.part.size',
    type: 'INT',
    defaultValue: 25 * MIB,
    importance: 'HIGH',
    group: G_S3,
    documentation: 'Bytes per multipart upload part; an object larger than this is uploaded in parts (5 MiB to 2 GiB).',
    validator: Validators.between(5 * MIB, 2 * 1024 * MIB - 1),
  })
  .define({
    name: 's3.part.retries',
    type: 'INT',
    defaultValue: 3,
    importance: 'MEDIUM',
    group: G_S3,
    documentation:
      'Attempts of one S3 request (within the AWS SDK) beyond the first before the batch is handed back to the worker for a later retry.',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 's3.retry.backoff.ms',
    type: 'LONG',
    defaultValue: 200,
    importance: 'LOW',
    group: G_S3,
    documentation: 'First backoff between retries of a failed S3 write; doubled per failure up to 30 s.',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'retry.backoff.ms',
    type: 'LONG',
    defaultValue: 5000,
    importance: 'LOW',
    group: G_S3,
    documentation:
      'Confluent: backoff before the worker redelivers a batch after a retriable failure (used as the cap of the S3 retry backoff).',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'tributary.s3.retry.timeout.ms',
    type: 'LONG',
    defaultValue: 600_000,
    importance: 'LOW',
    group: G_S3,
    documentation: 'How long the task keeps retrying while S3 cannot be written before it fails; -1: forever.',
  })
  .define({
    name: 's3.compression.type',
    type: 'STRING',
    defaultValue: 'none',
    importance: 'LOW',
    group: G_S3,
    documentation:
      'none or gzip (JsonFormat and ByteArrayFormat); Avro and Parquet compress with avro.codec / parquet.codec.',
    validator: Validators.in('none', 'gzip'),
  })
  .define({
    name: 's3.compression.level',
    type: 'INT',
    defaultValue: -1,
    importance: 'LOW',
    group: G_S3,
    documentation: 'gzip level, -1 (default) to 9.',
    validator: Validators.between(-1, 9),
  })
  .define({
    name: 's3.acl.canned',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: G_S3,
    documentation: 'Canned ACL of written objects (e.g. bucket-owner-full-control).',
  })
  .define({
    name: 's3.ssea.name',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    group: G_S3,
    documentation: 'Server-side encryption: AES256 or aws:kms (empty: none).',
    validator: Validators.in('', 'AES256', 'aws:kms'),
  })
  .define({
    name: 's3.sse.kms.key.id',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    group: G_S3,
    documentation: 'KMS key of aws:kms encryption.',
  })
  .define({
    name: 'behavior.on.null.values',
    type: 'STRING',
    defaultValue: 'fail',
    importance: 'LOW',
    group: G_S3,
    documentation: 'Records with a null value (tombstones): fail or ignore.',
    validator: Validators.in('fail', 'ignore'),
  })
  .define({
    name: 'topics.dir',
    type: 'STRING',
    defaultValue: 'topics',
    importance: 'HIGH',
    group: G_STORAGE,
    documentation: 'Top-level key prefix of the written objects.',
  })
  .define({
    name: 'directory.delim',
    type: 'STRING',
    defaultValue: '/',
    importance: 'LOW',
    group: G_STORAGE,
    documentation: 'Delimiter between key path parts.',
  })
  .define({
    name: 'file.delim',
    type: 'STRING',
    defaultValue: '+',
    importance: 'LOW',
    group: G_STORAGE,
    documentation: 'Delimiter between topic, partition and offset in object names.',
  })
  .define({
    name: 'filename.offset.zero.pad.width',
    type: 'INT',
    defaultValue: 10,
    importance: 'LOW',
    group: G_STORAGE,
    documentation: 'Width the start offset is zero-padded to in object names.',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'storage.class',
    type: 'CLASS',
    defaultValue: S3_STORAGE_CLASS,
    importance: 'HIGH',
    group: G_STORAGE,
    documentation: `Only ${S3_STORAGE_CLASS}.`,
    validator: Validators.in(S3_STORAGE_CLASS),
  })
  .define({
    name: 'flush.size',
    type: 'INT',
    importance: 'HIGH',
    group: G_STORAGE,
    documentation: 'Records per topic partition after which the open files are committed.',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'rotate.interval.ms',
    type: 'LONG',
    defaultValue: -1,
    importance: 'HIGH',
    group: G_STORAGE,
    documentation:
      "Commit the open files once a record's timestamp (from timestamp.extractor) is this far past the first record of the file; needs a time-based partitioner. -1: off.",
  })
  .define({
    name: 'rotate.schedule.interval.ms',
    type: 'LONG',
    defaultValue: -1,
    importance: 'MEDIUM',
    group: G_STORAGE,
    documentation:
      'Commit the open files at wall-clock times that are multiples of this interval from midnight in timezone. -1: off.',
  })
  .define({
    name: 'schema.compatibility',
    type: 'STRING',
    defaultValue: 'NONE',
    importance: 'HIGH',
    group: G_STORAGE,
    documentation:
      "NONE: a schema change rotates the file; BACKWARD, FORWARD, FULL: records of an older (BACKWARD/FULL) or newer (FORWARD) schema version are projected to the file's schema, a newer (BACKWARD/FULL) or older (FORWARD) version rotates.",
    validator: Validators.in('NONE', 'BACKWARD', 'FORWARD', 'FULL'),
  })
  .define({
    name: 'partitioner.class',
    type: 'CLASS',
    defaultValue: 'io.confluent.connect.storage.partitioner.DefaultPartitioner',
    importance: 'HIGH',
    group: G_PARTITIONER,
    documentation:
      'DefaultPartitioner, FieldPartitioner, TimeBasedPartitioner, DailyPartitioner or HourlyPartitioner (io.confluent.connect.storage.partitioner), or a class registered with registerS3Partitioner().',
  })
  .define({
    name: 'partition.field.name',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: G_PARTITIONER,
    documentation:
      'FieldPartitioner: value fields whose values name the partition; dotted paths reach into nested structs and maps.',
  })
  .define({
    name: 'path.format',
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    group: G_PARTITIONER,
    documentation:
      "TimeBasedPartitioner: Joda-Time pattern of the partition path, e.g. 'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH.",
  })
  .define({
    name: 'partition.duration.ms',
    type: 'LONG',
    defaultValue: -1,
    importance: 'MEDIUM',
    group: G_PARTITIONER,
    documentation: 'TimeBasedPartitioner: length of one time partition.',
  })
  .define({
    name: 'locale',
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    group: G_PARTITIONER,
    documentation: 'Locale of path.format (e.g. en-US); month and day names follow it.',
  })
  .define({
    name: 'timezone',
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    group: G_PARTITIONER,
    documentation: 'IANA time zone of path.format and rotate.schedule.interval.ms (e.g. UTC, Europe/Paris).',
  })
  .define({
    name: 'timestamp.extractor',
    type: 'STRING',
    defaultValue: 'Wallclock',
    importance: 'MEDIUM',
    group: G_PARTITIONER,
    documentation:
      'Wallclock (processing time), Record (the Kafka record timestamp) or RecordField (timestamp.field of the value).',
  })
  .define({
    name: 'timestamp.field',
    type: 'STRING',
    defaultValue: 'timestamp',
    importance: 'MEDIUM',
    group: G_PARTITIONER,
    documentation:
      'RecordField: the value field (dotted path) holding the time: epoch millis, a Connect Timestamp/Date or an ISO-8601 string.',
  })
  .define({
    name: 'format.class',
    type: 'CLASS',
    importance: 'HIGH',
    group: G_FORMAT,
    documentation:
      'io.confluent.connect.s3.format.json.JsonFormat, …avro.AvroFormat, …parquet.ParquetFormat or …bytearray.ByteArrayFormat.',
  })
  .define({
    name: 'avro.codec',
    type: 'STRING',
    defaultValue: 'null',
    importance: 'LOW',
    group: G_FORMAT,
    documentation: 'Avro block codec: null or deflate.',
    validator: Validators.in('null', 'deflate', 'snappy', 'bzip2', 'zstandard'),
  })
  .define({
    name: 'parquet.codec',
    type: 'STRING',
    defaultValue: 'snappy',
    importance: 'LOW',
    group: G_FORMAT,
    documentation: 'Parquet compression codec.',
    validator: Validators.in('none', 'snappy', 'gzip', 'lzo', 'brotli', 'lz4', 'zstd'),
  })
  .define({
    name: 'json.decimal.format',
    type: 'STRING',
    defaultValue: 'BASE64',
    importance: 'LOW',
    group: G_FORMAT,
    documentation: 'JsonFormat: Decimal as BASE64 (of the unscaled bytes) or NUMERIC.',
    validator: Validators.in('BASE64', 'NUMERIC'),
  })
  .define({
    name: 'schema.cache.size',
    type: 'INT',
    defaultValue: 1000,
    importance: 'LOW',
    group: G_FORMAT,
    documentation: 'Schemas cached by the JSON and Avro converters.',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'enhanced.avro.schema.support',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    group: G_FORMAT,
    documentation: 'AvroFormat: keep enum symbols and package names of Connect schemas that came from Avro.',
  })
  .define({
    name: 'connect.meta.data',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    group: G_FORMAT,
    documentation:
      'AvroFormat: write the Connect schema name, version and parameters into the Avro schema (connect.* properties).',
  })
  .define({
    name: 'format.bytearray.extension',
    type: 'STRING',
    defaultValue: '.bin',
    importance: 'LOW',
    group: G_FORMAT,
    documentation: 'ByteArrayFormat: object extension.',
  })
  .define({
    name: 'format.bytearray.separator',
    type: 'STRING',
    defaultValue: '\n',
    importance: 'LOW',
    group: G_FORMAT,
    documentation: 'ByteArrayFormat: bytes written after each record.',
  })
  .define({
    name: 'store.kafka.keys',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: G_FORMAT,
    documentation: 'Not supported: must be false.',
  })
  .define({
    name: 'store.kafka.headers',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: G_FORMAT,
    documentation: 'Not supported: must be false.',
  });

/** Confluent keys Tributary does not implement; a non-default value is refused with the fix. */
const UNSUPPORTED: Record<string, { allowed: (v: string) => boolean; fix: string }> = {
  'store.kafka.keys': {
    allowed: (v) => v.trim().toLowerCase() === 'false',
    fix: 'remove it (only record values are written; keep the key in the value with an SMT if it is needed)',
  },
  'store.kafka.headers': {
    allowed: (v) => v.trim().toLowerCase() === 'false',
    fix: 'remove it (only record values are written)',
  },
  's3.credentials.provider.class': {
    allowed: (v) =>
      /^(com\.amazonaws\.auth\.DefaultAWSCredentialsProviderChain|software\.amazon\.awssdk\.auth\.credentials\.DefaultCredentialsProvider)$/.test(
        v.trim(),
      ),
    fix: 'remove it and use the default provider chain (AWS_* environment, profile, role) or aws.access.key.id/aws.secret.access.key',
  },
  's3.sse.customer.key': {
    allowed: (v) => v === '',
    fix: 'remove it (SSE-C is not supported; use s3.ssea.name=AES256 or aws:kms)',
  },
  's3.proxy.url': { allowed: (v) => v === '', fix: 'remove it (set HTTPS_PROXY for the worker process instead)' },
  's3.object.tagging': {
    allowed: (v) => v.trim().toLowerCase() === 'false',
    fix: 'remove it (object tagging is not supported)',
  },
  'partitioner.max.open.files': {
    allowed: (v) => v.trim() === '-1',
    fix: 'remove it (memory is bounded per open file by s3.part.size instead)',
  },
  'rotate.file.on.partition.change': {
    allowed: (v) => v.trim().toLowerCase() === 'true',
    fix: 'remove it (a partition change with rotate.interval.ms always rotates, as the default)',
  },
  'tombstone.encoded.partition': {
    allowed: () => false,
    fix: 'remove it (behavior.on.null.values=write is not supported)',
  },
  'hive.integration': {
    allowed: (v) => v.trim().toLowerCase() === 'false',
    fix: "remove it (Hive integration is not supported, as in Confluent's S3 sink)",
  },
};

export type SchemaCompatibility = 'NONE' | 'BACKWARD' | 'FORWARD' | 'FULL';

export interface S3SinkSettings {
  bucket: string;
  region: string;
  endpoint: string | null;
  pathStyle: boolean;
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  partSize: number;
  partRetries: number;
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
  retryTimeoutMs: number;
  cannedAcl: string | null;
  sseAlgorithm: string;
  sseKmsKeyId: string;
  nullValues: 'fail' | 'ignore';
  topicsDir: string;
  directoryDelim: string;
  fileDelim: string;
  offsetPadWidth: number;
  flushSize: number;
  rotateIntervalMs: number;
  rotateScheduleIntervalMs: number;
  schemaCompatibility: SchemaCompatibility;
  partitionerClass: string;
  formatClass: string;
  timezone: string;
  format: FormatSettings;
  parsed: ParsedConfig;
}

function checkUnsupported(props: Record<string, string>): void {
  for (const [key, { allowed, fix }] of Object.entries(UNSUPPORTED)) {
    const v = props[key];
    if (v !== undefined && !allowed(v))
      throw new ConfigException(`${key}=${v} is not supported by Tributary's S3 sink: ${fix}`, { key });
  }
  const nulls = props['behavior.on.null.values'];
  if (nulls !== undefined && nulls.trim().toLowerCase() === 'write') {
    throw new ConfigException(
      "behavior.on.null.values=write is not supported by Tributary's S3 sink: use fail or ignore",
      { key: 'behavior.on.null.values' },
    );
  }
}

/** Lower-cases Confluent's case-insensitive enum values before the typed parse. */
function normalized(props: Record<string, string>): Record<string, string> {
  const out = { ...props };
  for (const k of ['s3.compression.type', 'behavior.on.null.values'])
    if (out[k] !== undefined) out[k] = out[k].trim().toLowerCase();
  for (const k of ['schema.compatibility', 'json.decimal.format'])
    if (out[k] !== undefined) out[k] = out[k].trim().toUpperCase();
  return out;
}

export function resolveS3Settings(rawProps: Record<string, string>): S3SinkSettings {
  checkUnsupported(rawProps);
  const props = normalized(rawProps);
  const c = new ParsedConfig(S3_SINK_CONFIG, props);
  const accessKeyId = c.getString('aws.access.key.id');
  const secret = c.getPassword('aws.secret.access.key')?.value ?? '';
  if ((accessKeyId === '') !== (secret === '')) {
    throw new ConfigException(
      `aws.access.key.id and aws.secret.access.key must be set together (only ${accessKeyId ? 'aws.access.key.id' : 'aws.secret.access.key'} is set): set both, or neither to use the default AWS credential provider chain`,
      { key: accessKeyId ? 'aws.secret.access.key' : 'aws.access.key.id' },
    );
  }
  const timezone = c.getString('timezone');
  if (timezone !== '') {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    } catch {
      throw new ConfigException(
        `Invalid value ${timezone} for configuration timezone: not an IANA time zone name (e.g. UTC, Europe/Paris)`,
        { key: 'timezone' },
      );
    }
  }
  const scheduled = c.getLong('rotate.schedule.interval.ms');
  if (scheduled > 0 && timezone === '') {
    throw new ConfigException(
      'rotate.schedule.interval.ms is set but timezone is empty: set timezone (e.g. UTC), from whose midnight the schedule is counted',
      { key: 'timezone' },
    );
  }
  const compressionType = c.getString('s3.compression.type') as S3CompressionType;
  const endpoint = c.getOptionalString('store.url');
  return {
    bucket: c.getString('s3.bucket.name'),
    region: c.getString('s3.region'),
    endpoint: endpoint && endpoint.trim() !== '' ? endpoint.trim() : null,
    pathStyle: c.getBoolean('s3.path.style.access.enabled'),
    credentials: accessKeyId ? { accessKeyId, secretAccessKey: secret } : null,
    partSize: c.getInt('s3.part.size'),
    partRetries: c.getInt('s3.part.retries'),
    retryBackoffMs: c.getLong('s3.retry.backoff.ms'),
    retryBackoffMaxMs: Math.max(c.getLong('retry.backoff.ms'), c.getLong('s3.retry.backoff.ms')),
    retryTimeoutMs: c.getLong('tributary.s3.retry.timeout.ms'),
    cannedAcl: c.getOptionalString('s3.acl.canned'),
    sseAlgorithm: c.getString('s3.ssea.name'),
    sseKmsKeyId: c.getString('s3.sse.kms.key.id'),
    nullValues: c.getString('behavior.on.null.values') as 'fail' | 'ignore',
    topicsDir: c.getString('topics.dir'),
    directoryDelim: c.getString('directory.delim'),
    fileDelim: c.getString('file.delim'),
    offsetPadWidth: c.getInt('filename.offset.zero.pad.width'),
    flushSize: c.getInt('flush.size'),
    rotateIntervalMs: c.getLong('rotate.interval.ms'),
    rotateScheduleIntervalMs: scheduled,
    schemaCompatibility: c.getString('schema.compatibility') as SchemaCompatibility,
    partitionerClass: c.getString('partitioner.class'),
    formatClass: c.getString('format.class'),
    timezone,
    format: {
      props: { ...props },
      compressionType,
      compressionLevel: c.getInt('s3.compression.level'),
      parquetCodec: c.getString('parquet.codec'),
      avroCodec: c.getString('avro.codec'),
      partSize: c.getInt('s3.part.size'),
    },
    parsed: c,
  };
}

/** ConfigDef validation plus the cross-key rules, as ConfigValues (errors land on the key they name). */
export function validateS3Sink(props: Record<string, string>, extra: (s: S3SinkSettings) => void): ConfigValue[] {
  const values = S3_SINK_CONFIG.validate(normalized(props));
  if (values.some((v) => v.errorMessages.length > 0)) return values;
  try {
    extra(resolveS3Settings(props));
  } catch (err) {
    if (!(err instanceof ConfigException)) throw err;
    const target = values.find((v) => v.name === err.key) ?? values[0];
    target.errorMessages.push(err.message);
  }
  return values;
}
