/**
 * Runs the two sides of the PostgreSQL differential on the same database: Debezium's embedded
 * engines (one JVM, test/compat/java/DebeziumPostgresHarness.java) and Tributary's PostgresSourceTask
 * in-process, each record converted as a Kafka Connect worker does (JsonConverter with schemas on
 * for key and value, SimpleHeaderConverter for headers).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { debeziumPostgresClasspath } from '../setup/debezium.ts';
import { JsonConverter } from '../../runtime/converters/json-converter.ts';
import { SimpleHeaderConverter } from '../../runtime/converters/simple-converters.ts';
import { PostgresSourceTask } from '../../connectors/postgres/postgres-source-task.ts';
import { silentLogger } from '../../runtime/logging.ts';
import type { SourceRecord } from '../../runtime/data/records.ts';

export interface WireRecord {
  topic: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<[string, Buffer | null]>;
}

/** Records of one engine, in arrival order, and whether it failed. */
export interface EngineOutput {
  records: WireRecord[];
  failure: string | null;
}

const fromB64 = (s: string): Buffer | null => (s === '-' ? null : Buffer.from(s, 'base64'));

/** The JVM running one Debezium engine per entry of `configs` (keyed by engine name). */
export class DebeziumSide {
  readonly outputs = new Map<string, EngineOutput>();
  private readonly child: ChildProcess;
  private stderr = '';
  private exited: Promise<number | null>;

  constructor(configs: Record<string, Record<string, string>>, dir: string) {
    const files: string[] = [];
    for (const [name, config] of Object.entries(configs)) {
      const props = {
        name,
        'offset.storage': 'org.apache.kafka.connect.storage.MemoryOffsetBackingStore',
        'offset.flush.interval.ms': '60000',
        ...config,
      };
      const file = path.join(dir, `${name}.properties`);
      fs.writeFileSync(
        file,
        Object.entries(props)
          .map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`)
          .join('\n') + '\n',
      );
      files.push(file);
      this.outputs.set(name, { records: [], failure: null });
    }
    this.child = spawn(
      'java',
      [
        '-cp',
        debeziumPostgresClasspath(),
        '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
        'DebeziumPostgresHarness',
        ...files,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString('utf8')).slice(-20000);
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    readline.createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const parts = line.split('\t');
      if (parts[0] === 'FAILED') {
        const out = this.outputs.get(parts[1]);
        if (out) out.failure = parts.slice(2).join('\t');
        return;
      }
      const out = this.outputs.get(parts[0]);
      if (!out) return;
      const headers =
        parts[4] === ''
          ? []
          : parts[4].split(',').map((h): [string, Buffer | null] => {
              const i = h.lastIndexOf(':');
              return [h.slice(0, i), fromB64(h.slice(i + 1))];
            });
      out.records.push({ topic: parts[1], key: fromB64(parts[2]), value: fromB64(parts[3]), headers });
    });
  }

  get log(): string {
    return this.stderr;
  }

  async stop(): Promise<void> {
    this.child.stdin!.end('stop\n');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Tributary's task driven in-process, polling until stopped. */
export class TributarySide {
  readonly output: EngineOutput = { records: [], failure: null };
  private readonly task = new PostgresSourceTask();
  private readonly abort = new AbortController();
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  private readonly keyConverter = new JsonConverter();
  private readonly valueConverter = new JsonConverter();
  private readonly headerConverter = new SimpleHeaderConverter();

  constructor(private readonly config: Record<string, string>) {
    this.keyConverter.configure({ 'schemas.enable': 'true' }, true);
    this.valueConverter.configure({ 'schemas.enable': 'true' }, false);
  }

  async start(): Promise<void> {
    this.task.initialize({
      connectorName: this.config.name ?? 'diff',
      taskId: 0,
      logger: silentLogger,
      signal: this.abort.signal,
      configs: () => this.config,
      offsetStorageReader: { offset: () => null, offsets: (ps) => new Map(ps.map((p) => [p, null])) },
    });
    try {
      await this.task.start(this.config);
    } catch (err) {
      this.output.failure = String((err as Error).stack ?? err);
      return;
    }
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          const batch = await this.task.poll();
          if (batch) for (const r of batch) this.output.records.push(this.convert(r));
        } catch (err) {
          this.output.failure = String((err as Error).stack ?? err);
          // A failed task still holds its snapshot transaction, which would block every later slot creation.
          await this.task.stop().catch(() => undefined);
          return;
        }
      }
    })();
  }

  private convert(r: SourceRecord): WireRecord {
    return {
      topic: r.topic,
      key: this.keyConverter.fromConnectData(r.topic, r.keySchema, r.key),
      value: this.valueConverter.fromConnectData(r.topic, r.valueSchema, r.value),
      headers: [...r.headers].map((h) => [
        h.key,
        this.headerConverter.fromConnectHeader(r.topic, h.key, h.schema, h.value),
      ]),
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.loop;
    if (this.output.failure === null) await this.task.stop();
  }
}
