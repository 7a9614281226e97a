/**
 * `tributary offsets import --bootstrap-server <brokers> [--topic connect-offsets] [--connector a,b] [--dry-run]`:
 * migrates source connector offsets from a Kafka Connect cluster. Reads Kafka Connect's offset
 * topic (keys `["<connector>",{partition}]`, JSON offsets, null = deleted) to its end, keeps the last
 * offset of every partition, and writes each connector's offsets through the worker's REST API
 * (`PATCH /connectors/<name>/offsets`), as `kafka-connect` users would with Kafka Connect itself: the
 * connectors must exist under the same names and be STOPPED (create them with
 * `"initial_state": "STOPPED"`), then be resumed.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { CliIo } from '../io.ts';

export interface ImportOptions {
  bootstrapServers: string[];
  topic: string;
  connectors: string[] | null;
  dryRun: boolean;
  url: string;
  /** Credentials for the worker (cli/rest-auth.ts). */
  headers?: Record<string, string>;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export interface ConnectorOffsets {
  connector: string;
  offsets: Array<{ partition: Record<string, Json>; offset: Record<string, Json> }>;
}

/** The last offset of every (connector, partition) in a Kafka Connect offset topic, by connector. */
export async function readKafkaConnectOffsets(bootstrapServers: string[], topic: string): Promise<ConnectorOffsets[]> {
  const kafka = new Kafka({
    clientId: 'tributary-offsets-import',
    brokers: bootstrapServers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  let ends: Array<{ partition: number; offset: string }>;
  try {
    ends = await admin.fetchTopicOffsets(topic);
  } finally {
    await admin.disconnect();
  }
  const remaining = new Map(ends.filter((e) => Number(e.offset) > 0).map((e) => [e.partition, Number(e.offset)]));
  const latest = new Map<
    string,
    { connector: string; partition: Record<string, Json>; offset: Record<string, Json> | null }
  >();
  if (remaining.size === 0) return [];
  const consumer = kafka.consumer({ groupId: `tributary-offsets-import-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            const key = message.key ? (JSON.parse(message.key.toString('utf8')) as Json) : null;
            if (
              !Array.isArray(key) ||
              key.length !== 2 ||
              typeof key[0] !== 'string' ||
              key[1] === null ||
              typeof key[1] !== 'object' ||
              Array.isArray(key[1])
            ) {
              throw new Error(
                `Record ${partition}/${message.offset} of ${topic} has key ${message.key?.toString('utf8') ?? 'null'}, not Kafka Connect's ["<connector>",{partition}]: is this an offset.storage.topic?`,
              );
            }
            const value = message.value ? (JSON.parse(message.value.toString('utf8')) as Record<string, Json>) : null;
            latest.set(message.key!.toString('utf8'), { connector: key[0], partition: key[1], offset: value });
            if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) {
              remaining.delete(partition);
              if (remaining.size === 0) resolve();
            }
          },
        })
        .catch(reject);
      consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
    });
  } finally {
    await consumer.disconnect();
  }
  const byConnector = new Map<string, ConnectorOffsets>();
  for (const e of latest.values()) {
    if (e.offset === null) continue; // deleted (tombstone): nothing to carry over
    let c = byConnector.get(e.connector);
    if (!c) byConnector.set(e.connector, (c = { connector: e.connector, offsets: [] }));
    c.offsets.push({ partition: e.partition, offset: e.offset });
  }
  return [...byConnector.values()].sort((a, b) => a.connector.localeCompare(b.connector));
}

export async function importKafkaConnectOffsets(opts: ImportOptions, io: CliIo): Promise<number> {
  const all = await readKafkaConnectOffsets(opts.bootstrapServers, opts.topic);
  const wanted = opts.connectors ? all.filter((c) => opts.connectors!.includes(c.connector)) : all;
  let failures = 0;
  for (const c of wanted) {
    if (opts.dryRun) {
      io.stdout.write(JSON.stringify({ connector: c.connector, offsets: c.offsets }) + '\n');
      continue;
    }
    const res = await fetch(`${opts.url}/connectors/${encodeURIComponent(c.connector)}/offsets`, {
      method: 'PATCH',
      headers: { ...opts.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ offsets: c.offsets }),
    });
    const body = await res.text();
    if (res.ok) {
      io.stdout.write(`${c.connector}: imported ${c.offsets.length} partition offset(s)\n`);
    } else {
      failures++;
      io.stderr.write(
        `${c.connector}: HTTP ${res.status} ${body} (the connector must exist and be STOPPED: create it with "initial_state": "STOPPED" or run tributary connectors stop ${c.connector})\n`,
      );
    }
  }
  for (const name of opts.connectors ?? [])
    if (!all.some((c) => c.connector === name)) io.stderr.write(`${name}: no offsets in ${opts.topic}\n`);
  return failures === 0 ? 0 : 1;
}
