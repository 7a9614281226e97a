/**
 * One object being written: bytes are appended as the format drains them; whenever s3.part.size
 * bytes are pending a multipart upload is started (once) and a part is uploaded, so an open file
 * never holds more than about one part in memory. complete() sends the rest (a single PutObject
 * when no part was uploaded) and makes the object visible atomically; abort() discards the
 * multipart upload so no parts are left behind. Every method can be called again after a
 * transient failure: pending bytes are only dropped once their request succeeded.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
  type ObjectCannedACL,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';

export interface UploadTarget {
  client: S3Client;
  bucket: string;
  partSize: number;
  cannedAcl: string | null;
  sseAlgorithm: string;
  sseKmsKeyId: string;
}

export class ObjectUpload {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private uploadId: string | null = null;
  private readonly parts: Array<{ ETag: string; PartNumber: number }> = [];
  private totalBytes = 0;
  completed = false;
  private multipartDone = false;
  private createdWithMetadata = false;

  constructor(
    private readonly target: UploadTarget,
    readonly key: string,
  ) {}

  add(chunks: Uint8Array[]): void {
    for (const c of chunks) {
      if (c.length === 0) continue;
      this.pending.push(c);
      this.pendingBytes += c.length;
    }
  }

  /** Bytes held in memory. */
  bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** Object size so far (uploaded parts and pending bytes). */
  size(): number {
    return this.totalBytes + this.pendingBytes;
  }

  private encryption(): { ServerSideEncryption?: ServerSideEncryption; SSEKMSKeyId?: string } {
    if (!this.target.sseAlgorithm) return {};
    return {
      ServerSideEncryption: this.target.sseAlgorithm as ServerSideEncryption,
      ...(this.target.sseKmsKeyId ? { SSEKMSKeyId: this.target.sseKmsKeyId } : {}),
    };
  }

  /** Uploads full parts while at least s3.part.size bytes are pending. */
  async flushParts(): Promise<void> {
    while (this.pendingBytes >= this.target.partSize) await this.uploadPart(this.target.partSize);
  }

  private take(n: number): Buffer {
    const all = Buffer.concat(this.pending, this.pendingBytes);
    return all.subarray(0, Math.min(n, all.length));
  }

  private dropFront(n: number): void {
    const all = Buffer.concat(this.pending, this.pendingBytes);
    const rest = all.subarray(n);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    this.totalBytes += n;
  }

  private async uploadPart(n: number): Promise<void> {
    const { client, bucket } = this.target;
    if (this.uploadId === null) {
      const created = await client.send(
        new CreateMultipartUploadCommand({
          Bucket: bucket,
          Key: this.key,
          ACL: (this.target.cannedAcl ?? undefined) as ObjectCannedACL | undefined,
          ...this.encryption(),
        }),
      );
      this.uploadId = created.UploadId!;
    }
    const body = this.take(n);
    const partNumber = this.parts.length + 1;
    const res = await client.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: this.key,
        UploadId: this.uploadId,
        PartNumber: partNumber,
        Body: body,
        ContentLength: body.length,
      }),
    );
    this.parts.push({ ETag: res.ETag!, PartNumber: partNumber });
    this.dropFront(body.length);
  }

  /** Makes the object visible with everything added; `metadata` becomes x-amz-meta-* (single PUT or multipart create). */
  async complete(metadata: Record<string, string>): Promise<void> {
    if (this.completed) return;
    const { client, bucket } = this.target;
    if (this.uploadId === null && this.pendingBytes < this.target.partSize) {
      const body = this.take(this.pendingBytes);
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: this.key,
          Body: body,
          ContentLength: body.length,
          Metadata: metadata,
          ACL: (this.target.cannedAcl ?? undefined) as ObjectCannedACL | undefined,
          ...this.encryption(),
        }),
      );
      this.dropFront(body.length);
    } else {
      if (this.uploadId === null) {
        this.createdWithMetadata = true;
        const created = await client.send(
          new CreateMultipartUploadCommand({
            Bucket: bucket,
            Key: this.key,
            Metadata: metadata,
            ACL: (this.target.cannedAcl ?? undefined) as ObjectCannedACL | undefined,
            ...this.encryption(),
          }),
        );
        this.uploadId = created.UploadId!;
      }
      await this.flushParts();
      if (this.pendingBytes > 0) await this.uploadPart(this.pendingBytes);
      if (!this.multipartDone) {
        await client.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: this.key,
            UploadId: this.uploadId,
            MultipartUpload: { Parts: this.parts },
          }),
        );
        this.multipartDone = true;
      }
      // Parts started before the metadata was known: set it by copying the object onto itself.
      if (!this.createdWithMetadata && Object.keys(metadata).length > 0) {
        await client.send(
          new CopyObjectCommand({
            Bucket: bucket,
            Key: this.key,
            CopySource: `${bucket}/${encodeURIComponent(this.key)}`,
            MetadataDirective: 'REPLACE',
            Metadata: metadata,
            ACL: (this.target.cannedAcl ?? undefined) as ObjectCannedACL | undefined,
            ...this.encryption(),
          }),
        );
      }
    }
    this.completed = true;
    this.pending = [];
  }

  /** Drops the bytes and aborts a started multipart upload (best effort: a failure is returned, not thrown). */
  async abort(): Promise<Error | null> {
    this.pending = [];
    this.pendingBytes = 0;
    if (this.uploadId === null || this.completed || this.multipartDone) return null;
    const id = this.uploadId;
    this.uploadId = null;
    try {
      await this.target.client.send(
        new AbortMultipartUploadCommand({ Bucket: this.target.bucket, Key: this.key, UploadId: id }),
      );
      return null;
    } catch (err) {
      return err as Error;
    }
  }

  /** Whether the object has a multipart upload in progress (for tests and logs). */
  get multipart(): boolean {
    return this.uploadId !== null;
  }
}
