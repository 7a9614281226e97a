/**
 * An in-memory Confluent-compatible registry over HTTP for unit tests: subjects, versions, global
 * ids (one id per distinct schema), lookup, latest, references, basic auth, and a switch that makes
 * it answer 503 (to test cached schemas while the registry is down).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SchemaReference, SchemaType } from '../types.ts';

interface Stored {
  id: number;
  schema: string;
  schemaType: SchemaType;
  references: SchemaReference[];
}

export class MockRegistryServer {
  private server: http.Server | undefined;
  private readonly schemas: Stored[] = [];
  private readonly subjects = new Map<string, number[]>();
  readonly requests: string[] = [];
  /** When set, every request answers 503. */
  down = false;
  /** `user:password` required when set. */
  userInfo: string | undefined;
  /** Subjects whose next registration is refused as incompatible. */
  readonly incompatible = new Set<string>();

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Registers directly (test setup), returning the global id. */
  register(
    subject: string,
    schema: string,
    schemaType: SchemaType = 'AVRO',
    references: SchemaReference[] = [],
  ): number {
    let stored = this.schemas.find(
      (s) =>
        s.schema === schema &&
        s.schemaType === schemaType &&
        JSON.stringify(s.references) === JSON.stringify(references),
    );
    if (!stored) {
      stored = { id: this.schemas.length + 1, schema, schemaType, references };
      this.schemas.push(stored);
    }
    const versions = this.subjects.get(subject) ?? [];
    if (!versions.includes(stored.id)) versions.push(stored.id);
    this.subjects.set(subject, versions);
    return stored.id;
  }

  subjectNames(): string[] {
    return [...this.subjects.keys()];
  }

  schemaById(id: number): Stored | undefined {
    return this.schemas.find((s) => s.id === id);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push(`${req.method} ${url.pathname}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/vnd.schemaregistry.v1+json' });
      res.end(JSON.stringify(body));
    };
    if (this.down) return send(503, { error_code: 50301, message: 'Service unavailable' });
    if (this.userInfo && req.headers.authorization !== `Basic ${Buffer.from(this.userInfo).toString('base64')}`)
      return send(401, { error_code: 401, message: 'Unauthorized' });
    const body = chunks.length
      ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          schema: string;
          schemaType?: SchemaType;
          references?: SchemaReference[];
        })
      : undefined;
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'schemas' && parts[1] === 'ids' && req.method === 'GET') {
      const s = this.schemaById(Number(parts[2]));
      if (!s) return send(404, { error_code: 40403, message: 'Schema not found' });
      return send(200, {
        schema: s.schema,
        ...(s.schemaType !== 'AVRO' ? { schemaType: s.schemaType } : {}),
        ...(s.references.length ? { references: s.references } : {}),
      });
    }
    if (parts[0] === 'subjects' && parts.length === 3 && parts[2] === 'versions' && req.method === 'POST') {
      if (this.incompatible.has(parts[1]))
        return send(409, {
          error_code: 409,
          message: 'Schema being registered is incompatible with an earlier schema for subject',
        });
      return send(200, {
        id: this.register(parts[1], body!.schema, body!.schemaType ?? 'AVRO', body!.references ?? []),
      });
    }
    if (parts[0] === 'subjects' && parts.length === 2 && req.method === 'POST') {
      const versions = this.subjects.get(parts[1]);
      if (!versions) return send(404, { error_code: 40401, message: `Subject '${parts[1]}' not found.` });
      const idx = versions.findIndex((id) => this.schemaById(id)!.schema === body!.schema);
      if (idx < 0) return send(404, { error_code: 40403, message: 'Schema not found' });
      const s = this.schemaById(versions[idx])!;
      return send(200, { subject: parts[1], id: s.id, version: idx + 1, schema: s.schema });
    }
    if (parts[0] === 'subjects' && parts.length === 4 && parts[2] === 'versions' && req.method === 'GET') {
      const versions = this.subjects.get(parts[1]);
      if (!versions) return send(404, { error_code: 40401, message: `Subject '${parts[1]}' not found.` });
      const n = parts[3] === 'latest' ? versions.length : Number(parts[3]);
      const id = versions[n - 1];
      if (id === undefined) return send(404, { error_code: 40402, message: 'Version not found.' });
      const s = this.schemaById(id)!;
      return send(200, {
        subject: parts[1],
        version: n,
        id,
        schema: s.schema,
        ...(s.schemaType !== 'AVRO' ? { schemaType: s.schemaType } : {}),
        references: s.references,
      });
    }
    if (parts[0] === 'subjects' && parts.length === 1) return send(200, [...this.subjects.keys()]);
    return send(404, { error_code: 404, message: `No route for ${req.method} ${url.pathname}` });
  }
}
