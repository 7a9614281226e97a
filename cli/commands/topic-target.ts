/**
 * Where the topic console commands go: a worker's /tributary/topics endpoints (the embedded log,
 * or whatever transport the worker uses), or Kafka directly with --bootstrap-server.
 */
import fs from 'node:fs';
import type { ParsedArgs } from '../args.ts';
import { listFlag, stringFlag, UsageError } from '../args.ts';
import { CliRequestError, Client } from './client.ts';
import type { CliIo } from '../io.ts';
import type { ConsoleRecord, ConverterChoice } from '../../runtime/rest/topics-decode.ts';
import type { ProduceRecord, StartPosition, TopicDescription } from '../../runtime/rest/topics-console.ts';
import { parseProperties } from '../../runtime/config/properties.ts';
import type { PluginRegistry } from '../../runtime/plugins/registry.ts';

export interface PageRequest {
  partition?: number;
  start: StartPosition;
  limit: number;
  waitMs: number;
  /** 'raw': bytes as text; else the converters named (undefined: the worker's). */
  decode: 'raw' | { key?: string; value?: string; properties: Record<string, string> };
}

export interface Page {
  records: ConsoleRecord[];
  next: Record<number, number>;
  atEnd: boolean;
}

export interface TopicTarget {
  list(): Promise<Array<{ name: string; partitions: number }>>;
  describe(topic: string): Promise<TopicDescription>;
  create(topic: string, partitions: number, configs: Record<string, string>): Promise<TopicDescription>;
  delete(topic: string): Promise<void>;
  page(topic: string, req: PageRequest): Promise<Page>;
  produce(
    topic: string,
    records: Array<{ key: string | null; value: string | null; partition: number | null }>,
  ): Promise<Array<{ partition: number; offset: number }>>;
  close(): Promise<void>;
}

export async function topicTarget(p: ParsedArgs, io: CliIo): Promise<TopicTarget> {
  const brokers = stringFlag(p, 'bootstrap-server');
  if (brokers === undefined) {
    if (stringFlag(p, 'command-config')) throw new UsageError('--command-config goes with --bootstrap-server');
    return restTarget(Client.of(p, io));
  }
  const file = stringFlag(p, 'command-config');
  // A console answers or fails within seconds: few admin retries unless the client config says otherwise.
  const props = {
    'admin.retries': '2',
    ...(file ? parseProperties(fs.readFileSync(file, 'utf8')) : {}),
    'bootstrap.servers': brokers,
  };
  return kafkaTarget(props);
}

const enc = encodeURIComponent;

function restTarget(c: Client): TopicTarget {
  return {
    list: async () => (await c.json('GET', '/tributary/topics')) as Array<{ name: string; partitions: number }>,
    describe: async (t) => (await c.json('GET', `/tributary/topics/${enc(t)}`)) as TopicDescription,
    create: async (t, partitions, configs) =>
      (await c.json('POST', '/tributary/topics', { name: t, partitions, configs })) as TopicDescription,
    delete: async (t) => {
      await c.json('DELETE', `/tributary/topics/${enc(t)}`);
    },
    async page(t, req) {
      const q = new URLSearchParams({ limit: String(req.limit), wait_ms: String(req.waitMs) });
      if (req.partition !== undefined) q.set('partition', String(req.partition));
      const s = req.start;
      if (s.kind === 'cursor') q.set('cursor', Buffer.from(JSON.stringify(s.positions), 'utf8').toString('base64url'));
      else if (s.kind === 'offset') q.set('offset', String(s.offset));
      else if (s.kind === 'timestamp') q.set('timestamp', String(s.timestampMs));
      else q.set('from', s.kind);
      if (req.decode === 'raw') q.set('decode', 'false');
      else {
        if (req.decode.key) q.set('key.converter', req.decode.key);
        if (req.decode.value) q.set('value.converter', req.decode.value);
        for (const [k, v] of Object.entries(req.decode.properties)) q.set(k, v);
      }
      const body = (await c.json('GET', `/tributary/topics/${enc(t)}/records?${q.toString()}`)) as {
        records: ConsoleRecord[];
        next_offsets: Record<number, number>;
        at_end: boolean;
      };
      return { records: body.records, next: body.next_offsets, atEnd: body.at_end };
    },
    async produce(t, records) {
      return (
        (await c.json('POST', `/tributary/topics/${enc(t)}/records`, { records })) as {
          offsets: Array<{ partition: number; offset: number }>;
        }
      ).offsets;
    },
    async close() {},
  };
}

async function kafkaTarget(props: Record<string, string>): Promise<TopicTarget> {
  const [{ kafkaTopicConsole }, { createLogger }, { RecordDecoder, converterSubConfigs }] = await Promise.all([
    import('../../runtime/rest/topics-kafka.ts'),
    import('../../runtime/logging.ts'),
    import('../../runtime/rest/topics-decode.ts'),
  ]);
  let tc: Awaited<ReturnType<typeof kafkaTopicConsole>>;
  try {
    tc = await kafkaTopicConsole(props, createLogger({ level: 'error' }));
  } catch (err) {
    throw new CliRequestError(
      `Cannot reach the Kafka brokers at ${props['bootstrap.servers']}: ${(err as Error).message}; check --bootstrap-server (and --command-config for security settings)`,
    );
  }
  // Every connector comes with the plugin registry: load it only to decode.
  let plugins: PluginRegistry | undefined;
  const registry = async () => (plugins ??= (await import('../../app/builtins.ts')).createPluginRegistry());
  const choice = (
    kind: 'key' | 'value',
    name: string | undefined,
    properties: Record<string, string>,
  ): ConverterChoice => ({ className: name ?? 'json', configs: converterSubConfigs(kind, properties) });
  return {
    list: () => tc.list(),
    describe: (t) => tc.describe(t),
    create: (t, partitions, configs) => tc.create(t, partitions, configs),
    delete: (t) => tc.delete(t),
    async page(t, req) {
      const page = await tc.readPage(t, {
        partition: req.partition,
        start: req.start,
        limit: req.limit,
        waitMs: req.waitMs,
      });
      const decoder = await RecordDecoder.create(
        await registry(),
        req.decode === 'raw'
          ? 'raw'
          : {
              key: choice('key', req.decode.key, req.decode.properties),
              value: choice('value', req.decode.value, req.decode.properties),
            },
      );
      try {
        const records: ConsoleRecord[] = [];
        for (const r of page.records) records.push(await decoder.decode(r));
        return {
          records,
          next: page.next,
          atEnd: Object.entries(page.next).every(([p, n]) => n >= page.end[Number(p)]),
        };
      } finally {
        await decoder.close();
      }
    },
    async produce(t, records) {
      await tc.describe(t);
      const list: ProduceRecord[] = records.map((r) => ({
        key: r.key === null ? null : Buffer.from(r.key, 'utf8'),
        value: r.value === null ? null : Buffer.from(r.value, 'utf8'),
        partition: r.partition,
        headers: [],
      }));
      return (await tc.produce(t, list)).map((d) => ({ partition: d.partition, offset: d.offset }));
    },
    close: () => tc.close(),
  };
}

/** `--property k=v` flags as a map. */
export function propertyFlags(p: ParsedArgs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of listFlag(p, 'property')) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UsageError(`--property expects KEY=VALUE, got ${kv}`);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}
