/** Shared pieces of the S3 sink tests: a bucket per test on the real S3-compatible server, object reads, a task context. */
import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { silentLogger } from '../../../runtime/logging.ts';
import type { ErrantRecordReporter, SinkTaskContext, TopicPartition } from '../../../runtime/spi/sink.ts';
import type { SinkRecord } from '../../../runtime/data/records.ts';
import { S3_TEST_CREDENTIALS, testS3Url } from '../../setup/s3.ts';

export const uniqueName = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

export function testClient(endpoint = testS3Url()): S3Client {
  return new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: S3_TEST_CREDENTIALS });
}

export async function createBucket(prefix: string): Promise<string> {
  const bucket = uniqueName(prefix).toLowerCase();
  await testClient().send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/** Connector properties for the test server. */
export function s3Props(
  bucket: string,
  extra: Record<string, string> = {},
  endpoint = testS3Url(),
): Record<string, string> {
  return {
    'connector.class': 'io.confluent.connect.s3.S3SinkConnector',
    's3.bucket.name': bucket,
    's3.region': 'us-east-1',
    'store.url': endpoint,
    'aws.access.key.id': S3_TEST_CREDENTIALS.accessKeyId,
    'aws.secret.access.key': S3_TEST_CREDENTIALS.secretAccessKey,
    'storage.class': 'io.confluent.connect.s3.storage.S3Storage',
    'format.class': 'io.confluent.connect.s3.format.json.JsonFormat',
    'flush.size': '3',
    's3.retry.backoff.ms': '50',
    ...extra,
  };
}

export async function listKeys(bucket: string, prefix = ''): Promise<string[]> {
  const client = testClient();
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) keys.push(o.Key!);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

export async function getObject(bucket: string, key: string): Promise<Buffer> {
  const res = await testClient().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await res.Body!.transformToByteArray());
}

export async function headObject(
  bucket: string,
  key: string,
): Promise<{ etag: string; size: number; metadata: Record<string, string> }> {
  const res = await testClient().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  return { etag: res.ETag ?? '', size: res.ContentLength ?? 0, metadata: res.Metadata ?? {} };
}

export async function openMultipartUploads(bucket: string): Promise<number> {
  const res = await testClient().send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  return res.Uploads?.length ?? 0;
}

/** JSON lines of an object. */
export const jsonLines = (bytes: Buffer): unknown[] =>
  bytes
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));

export class S3TestContext implements SinkTaskContext {
  readonly connectorName = 's3-test';
  readonly taskId = 0;
  readonly logger = silentLogger;
  readonly signal = new AbortController().signal;
  readonly seeks: Array<TopicPartition & { offset: number }> = [];
  reported: Array<{ record: SinkRecord; error: Error }> = [];
  timeoutMs = -1;
  commitRequests = 0;
  constructor(
    private readonly withReporter = false,
    private readonly parts: TopicPartition[] = [{ topic: 't', partition: 0 }],
  ) {}
  configs() {
    return {};
  }
  assignment() {
    return this.parts;
  }
  offset(tp: TopicPartition, offset: number) {
    this.seeks.push({ ...tp, offset });
  }
  timeout(ms: number) {
    this.timeoutMs = ms;
  }
  pause() {}
  resume() {}
  requestCommit() {
    this.commitRequests++;
  }
  errantRecordReporter(): ErrantRecordReporter | null {
    if (!this.withReporter) return null;
    return {
      report: async (record, error) => {
        this.reported.push({ record, error });
      },
    };
  }
}
