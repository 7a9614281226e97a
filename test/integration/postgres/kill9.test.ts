/**
 * kill -9 of a worker process mid-stream, several times, while transactions keep committing:
 * after the last restart every change is in the log exactly once (records and offsets commit
 * together in the embedded log, and the slot is confirmed only after that commit).
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmbeddedLog } from '../../../runtime/log/embedded-log.ts';
import { createPgTestDb, type PgTestDb } from './helpers.ts';
import { waitFor } from '../../helpers/wait.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MIN_ROWS = 1000;

let db: PgTestDb;
afterAll(async () => {
  await db?.drop();
});

function startChild(dir: string, configFile: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'worker-child.ts'), dir, configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'silent' },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => {
      err += String(d);
    });
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('READY')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited ${code} before READY: ${err}`)));
  });
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

async function insertedIds(): Promise<number> {
  return Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM public.k'))[0].n);
}

describe('kill -9 of the worker mid-stream', () => {
  it('loses no change and repeats none after several SIGKILLs', async () => {
    db = await createPgTestDb('pgkill');
    await db.query('CREATE TABLE public.k (id int PRIMARY KEY)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-pg-kill-'));
    const configFile = path.join(dir, 'connector.json');
    fs.writeFileSync(
      configFile,
      JSON.stringify({
        name: 'pg-kill',
        config: {
          ...db.connectorConfig({ 'max.batch.size': '50', 'snapshot.mode': 'no_data', 'heartbeat.interval.ms': '100' }),
          'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'value.converter.schemas.enable': 'false',
          'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'key.converter.schemas.enable': 'false',
        },
      }),
    );
    const dataDir = path.join(dir, 'data');

    // The slot must exist before the writes start (snapshot.mode=no_data).
    let child = await startChild(dataDir, configFile);
    // Creating a logical slot waits for every running write transaction on the shared server (other
    // test files' bulk loads), and a worker process starts slowly on a loaded machine.
    await waitFor(async () => (await db.confirmedFlush(db.name)) !== null, { what: 'the slot', timeoutMs: 120_000 });
    // Transactions of 10 rows keep committing until the kill rounds are over.
    let writing = true;
    const writer = (async () => {
      for (let i = 1; writing || i <= MIN_ROWS; i += 10) {
        await db.query('INSERT INTO public.k SELECT g FROM generate_series($1::int, $2::int) g', [i, i + 9]);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();

    for (let round = 0; round < 3; round++) {
      if (round > 0) child = await startChild(dataDir, configFile);
      // Kill once this incarnation has made changes durable (the slot moved), at a random moment.
      const before = (await db.confirmedFlush(db.name)) ?? 0n;
      await waitFor(async () => ((await db.confirmedFlush(db.name)) ?? 0n) > before, {
        what: 'progress before the kill',
        timeoutMs: 30_000,
      });
      await new Promise((r) => setTimeout(r, Math.random() * 150));
      await kill(child, 'SIGKILL');
    }
    writing = false;
    await writer;
    const rows = await insertedIds();
    expect(rows).toBeGreaterThanOrEqual(MIN_ROWS);

    // Every change is durable once the slot was confirmed past the last insert (heartbeats carry the position on).
    const after = BigInt(
      (await db.query<{ v: string }>("SELECT (pg_current_wal_insert_lsn() - '0/0')::text AS v"))[0].v,
    );
    const last = await startChild(dataDir, configFile);
    const topic = `${db.name}.public.k`;
    try {
      await waitFor(async () => ((await db.confirmedFlush(db.name)) ?? 0n) >= after, {
        what: 'the slot to be confirmed past the last insert',
        timeoutMs: 60_000,
      });
    } finally {
      await kill(last, 'SIGTERM');
    }
    const log = await EmbeddedLog.open({ dir: dataDir, sync: 'os', defaultPartitions: 1 });
    try {
      const ids = log
        .read({ topic, partition: 0 }, 0)
        .map((r) => (JSON.parse(r.value!.toString()) as { after: { id: number } }).after.id);
      // Every inserted row exactly once, in commit order.
      expect(ids).toEqual(Array.from({ length: rows }, (_v, i) => i + 1));
    } finally {
      await log.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
