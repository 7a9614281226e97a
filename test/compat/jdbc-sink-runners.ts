/**
 * The two sides of the JDBC sink differential, each a Kafka Connect worker reading the same topics
 * of the test broker: Debezium's JDBC sink in Apache Kafka's ConnectStandalone (one JVM, every
 * scenario a connector of it) and Tributary's JDBC sink in Tributary's standalone worker. A side is
 * done with a connector when the connector's group (`connect-<name>`) has committed the end offset
 * of every partition of its topics, i.e. the sink has written and flushed every record.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { silentLogger } from '../../runtime/logging.ts';
import { debeziumJdbcSinkLibs } from '../setup/debezium-jdbc-sink.ts';
import { testKafkaBrokers } from '../setup/env.ts';
import { freePort } from '../helpers/free-port.ts';

export interface SinkConnector {
  name: string;
  topics: string[];
  config: Record<string, string>;
}

export interface SinkSide {
  readonly name: 'Debezium' | 'Tributary';
  /**
   * Resolves when every connector has committed its topics' end offsets or failed (with the
   * failures); rejects on timeout or a dead worker process.
   */
  waitDone(connectors: SinkConnector[], timeoutMs: number): Promise<Failures>;
  stop(): Promise<void>;
}

const props = (entries: Record<string, string>) =>
  Object.entries(entries)
    .map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`)
    .join('\n') + '\n';

interface ConnectorStatus {
  connector?: { state: string; trace?: string };
  tasks?: Array<{ id: number; state: string; trace?: string }>;
}

async function statusOf(url: string, name: string): Promise<ConnectorStatus | null> {
  const res = await fetch(`${url}/connectors/${encodeURIComponent(name)}/status`).catch(() => null);
  if (!res || res.status !== 200) return null;
  return (await res.json()) as ConnectorStatus;
}

function failureOf(name: string, s: ConnectorStatus | null): string | null {
  if (!s) return null;
  if (s.connector?.state === 'FAILED') return `connector ${name} FAILED: ${s.connector.trace ?? ''}`;
  const t = s.tasks?.find((x) => x.state === 'FAILED');
  if (!t) return null;
  // The first line and every cause: Java's traces put the reason in the innermost "Caused by".
  const lines = (t.trace ?? '').split('\n');
  const causes = lines.filter((l, i) => i === 0 || l.startsWith('Caused by'));
  return `task ${name}-${t.id} FAILED: ${causes.join('\n')}\n${lines.slice(1, 4).join('\n')}`;
}

/** Whether `connect-<name>` has committed the end offset of every partition of `topics`. */
async function caughtUp(admin: Admin, c: SinkConnector): Promise<boolean> {
  const committed = await admin.fetchOffsets({ groupId: `connect-${c.name}`, topics: c.topics });
  for (const topic of c.topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const got = committed.find((t) => t.topic === topic)?.partitions ?? [];
    for (const e of ends) {
      const p = got.find((x) => x.partition === e.partition);
      if (Number(e.high) > 0 && (!p || Number(p.offset) < Number(e.high))) return false;
    }
  }
  return true;
}

/** Connector name → why it failed; a connector absent from the map finished. */
export type Failures = Map<string, string>;

async function waitAll(
  side: string,
  url: () => string,
  connectors: SinkConnector[],
  timeoutMs: number,
  processFailure: () => string | null,
): Promise<Failures> {
  const admin = new Kafka({ brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const failures: Failures = new Map();
  try {
    const deadline = Date.now() + timeoutMs;
    const pending = new Set(connectors.map((c) => c.name));
    for (;;) {
      const pf = processFailure();
      if (pf) throw new Error(`${side}: ${pf}`);
      for (const c of connectors) {
        if (!pending.has(c.name)) continue;
        const f = failureOf(c.name, await statusOf(url(), c.name));
        if (f) {
          failures.set(c.name, `${side}: ${f}`);
          pending.delete(c.name);
        } else if (await caughtUp(admin, c).catch(() => false)) pending.delete(c.name);
      }
      if (pending.size === 0) return failures;
      if (Date.now() > deadline)
        throw new Error(
          `${side}: timed out after ${timeoutMs / 1000}s waiting for the connectors ${[...pending].join(', ')} to commit the end offsets of their topics`,
        );
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Debezium's JDBC sink: every connector in one ConnectStandalone JVM. */
export async function startDebeziumSinks(dir: string, connectors: SinkConnector[]): Promise<SinkSide> {
  const libs = debeziumJdbcSinkLibs();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  fs.mkdirSync(dir, { recursive: true });
  const worker = path.join(dir, 'worker.properties');
  fs.writeFileSync(
    worker,
    props({
      'bootstrap.servers': testKafkaBrokers().join(','),
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'true',
      'value.converter.schemas.enable': 'true',
      'offset.storage.file.filename': path.join(dir, 'connect.offsets'),
      'offset.flush.interval.ms': '500',
      listeners: url,
      'plugin.discovery': 'only_scan',
    }),
  );
  const files = connectors.map((c) => {
    const f = path.join(dir, `${c.name}.properties`);
    fs.writeFileSync(f, props({ name: c.name, topics: c.topics.join(','), 'tasks.max': '1', ...c.config }));
    return f;
  });
  const logFile = path.join(dir, 'connect.log');
  const out = fs.openSync(logFile, 'w');
  const child: ChildProcess = spawn(
    'java',
    [
      '-Xmx512m',
      '-XX:+UseSerialGC',
      '-Duser.timezone=UTC',
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      '-cp',
      `${libs}/*`,
      'org.apache.kafka.connect.cli.ConnectStandalone',
      worker,
      ...files,
    ],
    { stdio: ['ignore', out, out] },
  );
  fs.closeSync(out);
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    exited = `ConnectStandalone exited (${code ?? signal}); last log lines:\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n')}`;
  });
  return {
    name: 'Debezium',
    waitDone: (cs, timeoutMs) =>
      waitAll(
        'Debezium JDBC sink',
        () => url,
        cs,
        timeoutMs,
        () => exited,
      ),
    stop: async () => {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await gone;
      clearTimeout(t);
    },
  };
}

/** Tributary's JDBC sink: every connector in one standalone worker on the test broker. */
export async function startTributarySinks(
  dir: string,
  connectors: SinkConnector[],
  timeoutMs: number,
): Promise<SinkSide> {
  fs.mkdirSync(dir, { recursive: true });
  const worker: RunningWorker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'bootstrap.servers': testKafkaBrokers().join(','),
      'tributary.data.dir': dir,
      'offset.flush.interval.ms': '500',
    },
    { logger: silentLogger },
  );
  const failures: Failures = new Map();
  // One connector at a time: tasks of one worker starting together have failed their first poll in
  // kafkajs's admin (fetchTopicOffsets: "Cannot destructure property 'partitions' of 'low.pop(...)'").
  for (const c of connectors) {
    const res = await fetch(`${worker.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: c.name, config: { topics: c.topics.join(','), 'tasks.max': '1', ...c.config } }),
    });
    if (res.status !== 201)
      throw new Error(`Tributary refused the connector ${c.name}: ${res.status} ${await res.text()}`);
    const f = await waitAll(
      'Tributary JDBC sink',
      () => worker.url,
      [c],
      timeoutMs,
      () => null,
    );
    for (const [name, why] of f) failures.set(name, why);
  }
  return {
    name: 'Tributary',
    waitDone: async () => failures,
    stop: () => worker.stop(),
  };
}
