/**
 * The topic console's REST endpoints, under /tributary/ (Kafka Connect has none of these):
 *
 *   GET    /tributary/topics                          [{name, partitions}]
 *   GET    /tributary/topics/:topic                   partitions with start/end offsets, configs
 *   POST   /tributary/topics                          {"name", "partitions", "configs"} → 201
 *   DELETE /tributary/topics/:topic                   → 204
 *   GET    /tributary/topics/:topic/records           a page of records: ?partition&offset|from=beginning|end|timestamp|cursor
 *                                                     &limit&wait_ms&decode=false&key.converter&value.converter(.*)
 *   POST   /tributary/topics/:topic/records           {"records":[{"key","value","partition","headers"}]} → offsets
 *
 * Roles (runtime/rest/auth.ts): GETs need `read`; creating, deleting and producing need `admin`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequestError } from '../errors.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import { converterSubConfigs, RecordDecoder, type ConverterChoice } from './topics-decode.ts';
import {
  decodeCursor,
  encodeCursor,
  MAX_PAGE,
  type ProduceRecord,
  type StartPosition,
  type TopicConsole,
} from './topics-console.ts';

export interface TopicRoutesOptions {
  console: TopicConsole;
  plugins: PluginRegistry;
  /** The worker's key.converter / value.converter and their settings: the default decoding. */
  converters: { key: ConverterChoice; value: ConverterChoice };
}

type Query = Record<string, string | string[] | undefined>;
type Req = FastifyRequest<{ Params: { topic: string }; Querystring: Query; Body: unknown }>;

const MAX_WAIT_MS = 30_000;
const DEFAULT_LIMIT = 100;

export function registerTopicRoutes(app: FastifyInstance, opts: TopicRoutesOptions): void {
  const tc = opts.console;
  const s = (summary: string) => ({ schema: { summary, tags: ['topic console'] } });

  app.get('/tributary/topics', s('Topics of the transport (embedded log or Kafka)'), async () => tc.list());

  app.post('/tributary/topics', s('Create a topic'), async (req: Req, reply) => {
    const body = (req.body ?? {}) as { name?: unknown; partitions?: unknown; configs?: unknown };
    if (typeof body.name !== 'string' || body.name.trim() === '')
      throw new BadRequestError('"name" must be the topic name, e.g. {"name": "orders", "partitions": 3}');
    const partitions = body.partitions === undefined ? 1 : Number(body.partitions);
    const configs: Record<string, string> = {};
    if (body.configs !== undefined) {
      if (!body.configs || typeof body.configs !== 'object' || Array.isArray(body.configs))
        throw new BadRequestError('"configs" must be an object of topic settings, e.g. {"retention.ms": "-1"}');
      for (const [k, v] of Object.entries(body.configs)) configs[k] = String(v);
    }
    const created = await tc.create(body.name.trim(), partitions, configs);
    return reply
      .status(201)
      .header('Location', `/tributary/topics/${encodeURIComponent(created.name)}`)
      .send(created);
  });

  app.get('/tributary/topics/:topic', s('A topic: partitions with start and end offsets, settings'), async (req: Req) =>
    tc.describe(req.params.topic),
  );

  app.delete('/tributary/topics/:topic', s('Delete a topic and its records'), async (req: Req, reply) => {
    await tc.delete(req.params.topic);
    return reply.status(204).send();
  });

  app.get(
    '/tributary/topics/:topic/records',
    s("A page of records, decoded with the worker's converters (or those named)"),
    async (req: Req) => {
      const q = req.query;
      const partition = optionalInt(q, 'partition');
      const limit = optionalInt(q, 'limit') ?? DEFAULT_LIMIT;
      if (limit < 1 || limit > MAX_PAGE)
        throw new BadRequestError(`limit must be between 1 and ${MAX_PAGE}, not ${limit}`);
      const waitMs = Math.min(optionalInt(q, 'wait_ms') ?? 0, MAX_WAIT_MS);
      const page = await tc.readPage(req.params.topic, { partition, start: startOf(q), limit, waitMs });
      const decoder = await RecordDecoder.create(
        opts.plugins,
        one(q, 'decode') === 'false'
          ? 'raw'
          : {
              key: chosen('key', q, opts.converters.key),
              value: chosen('value', q, opts.converters.value),
            },
      );
      try {
        const records = [];
        for (const r of page.records) records.push(await decoder.decode(r));
        const atEnd = Object.entries(page.next).every(([p, next]) => next >= page.end[Number(p)]);
        return {
          topic: req.params.topic,
          records,
          next_cursor: encodeCursor(page.next),
          next_offsets: page.next,
          end_offsets: page.end,
          at_end: atEnd,
        };
      } finally {
        await decoder.close();
      }
    },
  );

  app.post(
    '/tributary/topics/:topic/records',
    s('Produce records (key and value as UTF-8 text)'),
    async (req: Req, reply) => {
      const body = req.body as { records?: unknown } | undefined;
      if (!body || !Array.isArray(body.records))
        throw new BadRequestError(
          'body must be {"records": [{"key": "k", "value": "v", "partition": 0, "headers": {"h": "v"}}]}',
        );
      await tc.describe(req.params.topic); // 404 for an unknown topic: produce does not create topics
      const records = body.records.map((r, i) => produceRecord(r, i));
      const delivered = await tc.produce(req.params.topic, records);
      return reply.status(200).send({ offsets: delivered.map((d) => ({ partition: d.partition, offset: d.offset })) });
    },
  );
}

function one(q: Query, name: string): string | undefined {
  const v = q[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

function optionalInt(q: Query, name: string): number | undefined {
  const raw = one(q, name);
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new BadRequestError(`${name} must be a non-negative integer, not ${raw}`);
  return n;
}

function startOf(q: Query): StartPosition {
  const given = ['cursor', 'offset', 'timestamp', 'from'].filter((k) => one(q, k) !== undefined);
  if (given.length > 1)
    throw new BadRequestError(`give one of cursor, offset, timestamp, from; got ${given.join(' and ')}`);
  const cursor = one(q, 'cursor');
  if (cursor !== undefined) return { kind: 'cursor', positions: decodeCursor(cursor) };
  const offset = optionalInt(q, 'offset');
  if (offset !== undefined) return { kind: 'offset', offset };
  const ts = one(q, 'timestamp');
  if (ts !== undefined) return { kind: 'timestamp', timestampMs: parseTimestamp(ts) };
  const from = one(q, 'from') ?? 'beginning';
  if (from !== 'beginning' && from !== 'end') throw new BadRequestError(`from must be beginning or end, not ${from}`);
  return { kind: from };
}

/** Epoch milliseconds or an ISO-8601 date-time. */
export function parseTimestamp(raw: string): number {
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(ms))
    throw new BadRequestError(
      `timestamp ${raw} is neither epoch milliseconds nor an ISO-8601 date-time (e.g. 2026-01-31T12:00:00Z)`,
    );
  return ms;
}

function chosen(kind: 'key' | 'value', q: Query, worker: ConverterChoice): ConverterChoice {
  const className = one(q, `${kind}.converter`);
  const flat: Record<string, string> = {};
  for (const k of Object.keys(q)) if (k.startsWith(`${kind}.converter.`)) flat[k] = one(q, k)!;
  const sub = converterSubConfigs(kind, flat);
  // A converter named in the request starts from the worker's settings (e.g. schema.registry.url) plus those given.
  return className
    ? { className, configs: { ...worker.configs, ...sub } }
    : { className: worker.className, configs: { ...worker.configs, ...sub } };
}

function produceRecord(raw: unknown, i: number): ProduceRecord {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new BadRequestError(`records[${i}] must be an object {"key", "value", "partition", "headers"}`);
  const r = raw as { key?: unknown; value?: unknown; partition?: unknown; headers?: unknown };
  const text = (v: unknown, what: string): Buffer | null => {
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') throw new BadRequestError(`records[${i}].${what} must be a string (UTF-8 text) or null`);
    return Buffer.from(v, 'utf8');
  };
  let partition: number | null = null;
  if (r.partition !== undefined && r.partition !== null) {
    if (!Number.isInteger(r.partition) || (r.partition as number) < 0)
      throw new BadRequestError(`records[${i}].partition must be a partition number`);
    partition = r.partition as number;
  }
  const headers =
    r.headers && typeof r.headers === 'object' && !Array.isArray(r.headers)
      ? Object.entries(r.headers as Record<string, unknown>).map(([key, v]) => ({
          key,
          value: text(v, `headers.${key}`),
        }))
      : [];
  return { key: text(r.key, 'key'), value: text(r.value, 'value'), partition, headers };
}
