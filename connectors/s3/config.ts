/**
 * The S3 sink's keys, named and defaulted as Confluent's S3 sink (S3SinkConnectorConfig,
 * StorageCommonConfig, PartitionerConfig, StorageSinkConnectorConfig). They are resolved into one
 * settings object, with the keys Tributary does not implement refused, in `s3-sink-settings.ts`.
 */
import { ConfigDef, Validators } from '../../sdk/config.ts';

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
