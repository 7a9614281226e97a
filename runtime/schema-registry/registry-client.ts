/**
 * A typed client for the Confluent Schema Registry REST API (also served by Karapace and by
 * Apicurio's `/apis/ccompat/v7`): register, lookup, get by id, latest version, compatibility.
 * Results are cached by id and by (subject, schema), so a converter asks the registry once per
 * schema; cached schemas keep working while the registry is down. Several URLs fail over in
 * order, as Confluent's RestService does.
 */
import https from 'node:https';
import { ConfigException, ConnectException } from '../errors.ts';
import {
  describeRegistryError,
  RegistryErrorCodes,
  SchemaRegistryRequestError,
  SchemaRegistryUnavailableError,
} from './errors.ts';
import { httpsRequest, RegistryTlsError, type RegistryTls } from './registry-tls.ts';
import type { RegisteredSchema, RegistryErrorBody, SchemaDefinition, SchemaReference, SchemaType } from './types.ts';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export interface RegistryClientOptions {
  urls: string[];
  /** `user:password` for HTTP basic auth, or undefined. */
  userInfo?: string;
  requestTimeoutMs?: number;
  /** TLS settings of https URLs (CA, client certificate, host name check); default: the system CA store. */
  tls?: RegistryTls;
}

interface SchemaResponse {
  id?: number;
  subject?: string;
  version?: number;
  schema?: string;
  schemaType?: SchemaType;
  references?: SchemaReference[];
}

export class SchemaRegistryClient {
  private readonly endpoints: Array<{ base: string; auth: Record<string, string> }>;
  private readonly timeoutMs: number;
  private readonly tls: RegistryTls;
  private httpsAgent: https.Agent | null = null;
  private readonly byId = new Map<number, Promise<RegisteredSchema>>();
  private readonly idBySubjectSchema = new Map<string, RegisteredSchema>();
  private readonly byVersion = new Map<string, RegisteredSchema>();

  constructor(opts: RegistryClientOptions) {
    if (opts.urls.length === 0)
      throw new ConfigException('A schema registry client needs at least one URL: set schema.registry.url', {
        key: 'schema.registry.url',
      });
    const configured = opts.userInfo ? `Basic ${Buffer.from(opts.userInfo, 'utf8').toString('base64')}` : undefined;
    this.endpoints = opts.urls.map((u) => endpointOf(u.trim().replace(/\/+$/, ''), configured));
    this.timeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.tls = opts.tls ?? {
      options: {},
      cacheKey: '',
      context: {
        caKey: 'schema.registry.ssl.truststore.location',
        caValue: null,
        modeKey: 'schema.registry.ssl.endpoint.identification.algorithm',
        mode: 'https',
        noHostCheck: 'set schema.registry.ssl.endpoint.identification.algorithm= (empty) to skip the host name check',
      },
    };
  }

  private send(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<{ status: number; ok: boolean; text: string }> {
    if (url.startsWith('https:')) {
      this.httpsAgent ??= new https.Agent({ keepAlive: true, ...this.tls.options });
      return httpsRequest(url, {
        method,
        headers,
        body,
        timeoutMs: this.timeoutMs,
        agent: this.httpsAgent,
        context: this.tls.context,
      });
    }
    return fetch(url, { method, headers, body, signal: AbortSignal.timeout(this.timeoutMs) }).then(async (res) => ({
      status: res.status,
      ok: res.ok,
      text: await res.text(),
    }));
  }

  /** Registers the schema under the subject (or finds it registered) and returns its global id. */
  async register(subject: string, def: SchemaDefinition, normalize = false): Promise<number> {
    const key = cacheKey(subject, def);
    const cached = this.idBySubjectSchema.get(key);
    if (cached) return cached.id;
    const res = await this.request<SchemaResponse>(
      'POST',
      `/subjects/${enc(subject)}/versions${normalize ? '?normalize=true' : ''}`,
      body(def),
      `Registering the ${def.schemaType} schema under subject "${subject}"`,
    );
    if (typeof res.id !== 'number')
      throw new SchemaRegistryRequestError(
        `Registering under subject "${subject}": the registry answered without an id`,
        200,
        undefined,
      );
    this.remember(key, { ...def, id: res.id, subject });
    return res.id;
  }

  /** Finds the id and version of a schema already registered under the subject; DataException when it is not. */
  async lookup(subject: string, def: SchemaDefinition, normalize = false): Promise<RegisteredSchema> {
    const key = cacheKey(subject, def);
    const cached = this.idBySubjectSchema.get(key);
    if (cached && cached.version !== undefined) return cached;
    const res = await this.request<SchemaResponse>(
      'POST',
      `/subjects/${enc(subject)}${normalize ? '?normalize=true' : ''}`,
      body(def),
      `Looking up the ${def.schemaType} schema under subject "${subject}"`,
    );
    const found: RegisteredSchema = { ...def, id: res.id!, subject, version: res.version };
    this.remember(key, found);
    return found;
  }

  /** The schema with this global id (cached forever: ids are immutable). */
  getById(id: number, subject?: string): Promise<RegisteredSchema> {
    let p = this.byId.get(id);
    if (!p) {
      p = this.request<SchemaResponse>(
        'GET',
        `/schemas/ids/${id}${subject ? `?subject=${enc(subject)}` : ''}`,
        undefined,
        `Fetching schema id ${id}`,
      ).then((res) => ({
        id,
        schema: res.schema ?? '',
        schemaType: res.schemaType ?? 'AVRO',
        references: res.references ?? [],
      }));
      this.byId.set(id, p);
      p.catch(() => this.byId.delete(id));
    }
    return p;
  }

  /** The latest version registered under the subject (not cached: it changes). */
  async getLatest(subject: string): Promise<RegisteredSchema> {
    return this.getVersion(subject, 'latest');
  }

  /** A version of a subject; numbered versions are cached, `latest` is always asked. */
  async getVersion(subject: string, version: number | 'latest'): Promise<RegisteredSchema> {
    const key = `${subject}\u0000${version}`;
    if (version !== 'latest') {
      const cached = this.byVersion.get(key);
      if (cached) return cached;
    }
    const res = await this.request<SchemaResponse>(
      'GET',
      `/subjects/${enc(subject)}/versions/${version}`,
      undefined,
      `Fetching version ${version} of subject "${subject}"`,
    );
    // Some registries (Apicurio's ccompat v6) leave schemaType out here but not on /schemas/ids.
    const schemaType = res.schemaType ?? (await this.getById(res.id!)).schemaType;
    const found: RegisteredSchema = {
      id: res.id!,
      subject,
      version: res.version,
      schema: res.schema ?? '',
      schemaType,
      references: res.references ?? [],
    };
    this.byVersion.set(`${subject}\u0000${found.version}`, found);
    return found;
  }

  /** Whether the schema could be registered as the subject's next version. */
  async testCompatibility(
    subject: string,
    def: SchemaDefinition,
  ): Promise<{ compatible: boolean; messages: string[] }> {
    const res = await this.request<{ is_compatible?: boolean; messages?: string[] }>(
      'POST',
      `/compatibility/subjects/${enc(subject)}/versions/latest?verbose=true`,
      body(def),
      `Testing compatibility under subject "${subject}"`,
    );
    return { compatible: res.is_compatible === true, messages: res.messages ?? [] };
  }

  async subjects(): Promise<string[]> {
    return this.request<string[]>('GET', '/subjects', undefined, 'Listing subjects');
  }

  /** Sets a subject's compatibility level (BACKWARD, FORWARD, FULL, NONE, ...). */
  async setCompatibility(subject: string, level: string): Promise<void> {
    await this.request(
      'PUT',
      `/config/${enc(subject)}`,
      { compatibility: level },
      `Setting compatibility of subject "${subject}"`,
    );
  }

  async deleteSubject(subject: string, permanent = false): Promise<number[]> {
    const versions = await this.request<number[]>(
      'DELETE',
      `/subjects/${enc(subject)}`,
      undefined,
      `Deleting subject "${subject}"`,
    );
    if (permanent)
      await this.request(
        'DELETE',
        `/subjects/${enc(subject)}?permanent=true`,
        undefined,
        `Deleting subject "${subject}" permanently`,
      );
    return versions;
  }

  private remember(key: string, schema: RegisteredSchema): void {
    this.idBySubjectSchema.set(key, schema);
    if (!this.byId.has(schema.id))
      this.byId.set(
        schema.id,
        Promise.resolve({
          id: schema.id,
          schema: schema.schema,
          schemaType: schema.schemaType,
          references: schema.references,
        }),
      );
  }

  private async request<T>(method: string, path: string, payload: unknown, operation: string): Promise<T> {
    const failures: string[] = [];
    const tlsFailures: string[] = [];
    for (const { base, auth } of this.endpoints) {
      let res: { status: number; ok: boolean; text: string };
      const headers = {
        Accept: `${CONTENT_TYPE}, application/json`,
        ...(payload !== undefined ? { 'Content-Type': CONTENT_TYPE } : {}),
        ...auth,
      };
      try {
        res = await this.send(
          base + path,
          method,
          headers,
          payload !== undefined ? JSON.stringify(payload) : undefined,
        );
      } catch (err) {
        if (err instanceof RegistryTlsError) tlsFailures.push(err.message);
        failures.push(
          `${base}: ${(err as Error).cause instanceof Error && !(err instanceof RegistryTlsError) ? ((err as Error).cause as Error).message : (err as Error).message}`,
        );
        continue;
      }
      const text = res.text;
      if (res.ok) return (text === '' ? undefined : JSON.parse(text)) as T;
      let errBody: RegistryErrorBody = {};
      try {
        errBody = JSON.parse(text) as RegistryErrorBody;
      } catch {
        errBody = { message: text.slice(0, 500) };
      }
      if (res.status >= 500) {
        failures.push(`${base}: HTTP ${res.status} ${errBody.message ?? ''}`.trim());
        continue;
      }
      throw new SchemaRegistryRequestError(
        describeRegistryError(operation, res.status, errBody.error_code, errBody.message ?? ''),
        res.status,
        errBody.error_code || (res.status === 409 ? RegistryErrorCodes.INCOMPATIBLE_SCHEMA : undefined),
      );
    }
    // A registry whose certificate is refused is misconfigured, not down: retrying would not help.
    if (tlsFailures.length === this.endpoints.length)
      throw new ConnectException(`${operation}: ${tlsFailures.join('; ')}`);
    throw new SchemaRegistryUnavailableError(
      `${operation}: the schema registry is unavailable (${failures.join('; ')})`,
    );
  }
}

function body(def: SchemaDefinition): Record<string, unknown> {
  // Confluent's clients leave schemaType out for AVRO, the default.
  return {
    schema: def.schema,
    ...(def.schemaType !== 'AVRO' ? { schemaType: def.schemaType } : {}),
    ...(def.references.length ? { references: def.references } : {}),
  };
}

function cacheKey(subject: string, def: SchemaDefinition): string {
  return `${subject}\u0000${def.schemaType}\u0000${def.schema}\u0000${JSON.stringify(def.references)}`;
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

/**
 * Credentials in a URL (`http://user:pass@host`) are used when no user info is configured
 * (basic.auth.credentials.source=URL); fetch refuses URLs with credentials, so they move to a header.
 */
function endpointOf(url: string, configured: string | undefined): { base: string; auth: Record<string, string> } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigException(
      `Invalid schema registry URL "${url.replace(/\/\/[^@/]*@/, '//[hidden]@')}": expected http(s)://host:port[/path]`,
      { key: 'schema.registry.url' },
    );
  }
  let auth = configured;
  if (parsed.username) {
    auth ??= `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
    parsed.username = '';
    parsed.password = '';
  }
  return { base: parsed.toString().replace(/\/+$/, ''), auth: auth ? { Authorization: auth } : {} };
}
