/**
 * The S3 sink's configuration resolved into one settings object: the typed parse of `config.ts`'s
 * keys, Confluent's case-insensitive enums, the cross-key rules, and the keys of Confluent's
 * connector that Tributary does not implement, refused with the fix, never ignored.
 */
import { ParsedConfig, type ConfigValue } from '../../sdk/config.ts';
import { ConfigException } from '../../sdk/errors.ts';
import type { FormatSettings, S3CompressionType } from './format/format.ts';
import { S3_SINK_CONFIG } from './config.ts';

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
