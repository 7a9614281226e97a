/**
 * The two sides of the MariaDB differential: Debezium's MariaDB connector in its embedded engine
 * (test/compat/java/DebeziumRecordDump.java) and Tributary's MySQL source task under the MariaDB
 * connector class, each rendering records as a Kafka Connect worker would (JsonConverter with
 * schemas on for key and value, SimpleHeaderConverter for headers).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { JsonConverter } from '../../runtime/converters/json-converter.ts';
import { SimpleHeaderConverter } from '../../runtime/converters/simple-converters.ts';
import type { SourceRecord } from '../../runtime/data/records.ts';
import { silentLogger } from '../../runtime/logging.ts';
import type { SourceTaskContext } from '../../runtime/spi/source.ts';
import { MysqlSourceTask } from '../../connectors/mysql/mysql-source-task.ts';
import { debeziumMariadbClasspath } from '../setup/debezium-mariadb.ts';

export interface WireRecord {
  topic: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<[string, Buffer | null]>;
}

export interface Side {
  readonly name: 'Debezium' | 'Tributary';
  readonly records: WireRecord[];
  /** Date.now() of the last record received. */
  lastArrival(): number;
  /** Resolves once `until` holds for the records so far; rejects on timeout or a failed connector. */
  waitFor(until: (records: WireRecord[]) => boolean, timeoutMs: number, what: string): Promise<void>;
  stop(): Promise<void>;
}

async function waitLoop(
  side: Side,
  failure: () => string | null,
  until: (r: WireRecord[]) => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const f = failure();
    if (f) throw new Error(`${side.name} failed while waiting for ${what}: ${f}`);
    if (until(side.records)) return;
    if (Date.now() > deadline)
      throw new Error(
        `${side.name}: timed out after ${timeoutMs} ms waiting for ${what} (${side.records.length} records)`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function startDebezium(props: Record<string, string>, dir: string, version?: string): Side {
  const propsFile = path.join(dir, 'debezium.properties');
  fs.writeFileSync(
    propsFile,
    Object.entries(props)
      .map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`)
      .join('\n') + '\n',
  );
  const logFile = path.join(dir, 'debezium.log');
  const child: ChildProcess = spawn(
    'java',
    [
      '-cp',
      debeziumMariadbClasspath(version),
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      '-Duser.timezone=UTC',
      'DebeziumRecordDump',
      propsFile,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const records: WireRecord[] = [];
  let failed: string | null = null;
  let exited = false;
  let last = Date.now();
  child.stderr!.on('data', (d: Buffer) => {
    fs.appendFileSync(logFile, d);
    const text = d.toString('utf8');
    if (/ENGINE FAILED/.test(text))
      failed = text.slice(text.indexOf('ENGINE FAILED'), text.indexOf('ENGINE FAILED') + 2000);
  });
  child.on('exit', (code) => {
    exited = true;
    if (code !== 0 && !failed) failed = `exit code ${code} (log: ${logFile})`;
  });
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    const o = JSON.parse(line) as {
      topic: string;
      key: string | null;
      value: string | null;
      headers: Array<[string, string | null]>;
    };
    const b = (s: string | null) => (s === null ? null : Buffer.from(s, 'base64'));
    last = Date.now();
    records.push({
      topic: o.topic,
      key: b(o.key),
      value: b(o.value),
      headers: o.headers.map(([k, v]) => [b(k)!.toString('utf8'), b(v)]),
    });
  });
  const side: Side = {
    name: 'Debezium',
    records,
    lastArrival: () => last,
    waitFor: (until, timeoutMs, what) => waitLoop(side, () => failed, until, timeoutMs, what),
    stop: async () => {
      if (exited) return;
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.stdin!.end('stop\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await done;
      clearTimeout(timer);
    },
  };
  return side;
}

export async function startTributary(config: Record<string, string>): Promise<Side> {
  const abort = new AbortController();
  const ctx: SourceTaskContext = {
    connectorName: config.name ?? 'mariadb-differential',
    taskId: 0,
    logger: silentLogger,
    signal: abort.signal,
    offsetStorageReader: { offset: () => null, offsets: (ps) => new Map(ps.map((p) => [p, null])) },
    configs: () => config,
  };
  const keys = new JsonConverter();
  keys.configure({ 'schemas.enable': 'true' }, true);
  const values = new JsonConverter();
  values.configure({ 'schemas.enable': 'true' }, false);
  const headers = new SimpleHeaderConverter();
  const task = new MysqlSourceTask();
  task.initialize(ctx);
  await task.start(config);
  const records: WireRecord[] = [];
  let failed: string | null = null;
  let stopping = false;
  let last = Date.now();
  const render = (r: SourceRecord): WireRecord => ({
    topic: r.topic,
    key: keys.fromConnectData(r.topic, r.keySchema, r.key),
    value: values.fromConnectData(r.topic, r.valueSchema, r.value),
    headers: [...r.headers].map((h) => [h.key, headers.fromConnectHeader(r.topic, h.key, h.schema, h.value)]),
  });
  const polling = (async () => {
    while (!stopping) {
      try {
        const batch = await task.poll();
        if (batch?.length) {
          last = Date.now();
          for (const r of batch) records.push(render(r));
        }
      } catch (err) {
        if (!stopping) failed = (err as Error).stack ?? String(err);
        return;
      }
    }
  })();
  const side: Side = {
    name: 'Tributary',
    records,
    lastArrival: () => last,
    waitFor: (until, timeoutMs, what) => waitLoop(side, () => failed, until, timeoutMs, what),
    stop: async () => {
      stopping = true;
      abort.abort();
      await task.stop();
      await polling;
    },
  };
  return side;
}
