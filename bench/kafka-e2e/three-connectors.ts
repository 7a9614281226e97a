/**
 * Steady memory of a worker with three connectors: a standalone worker process (embedded log) runs a
 * PostgreSQL source, a MariaDB source and a FileStreamSink reading the PostgreSQL topic, while both
 * databases take a steady trickle of single-row inserts. After a settling period the process's
 * resident set (VmRSS) is sampled once a second; the steady figure is the largest sample.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { startWorkerProcess, killProcess, workerLog } from '../../test/helpers/worker-process.ts';
import { cpuSeconds, load1, peakRssMiB } from './process-stats.ts';
import { freePort } from '../../test/helpers/free-port.ts';

const PG_DDL = 'id bigint PRIMARY KEY, code text NOT NULL, qty integer NOT NULL, updated timestamp NOT NULL';
const MARIADB_DDL = 'id BIGINT PRIMARY KEY, code VARCHAR(40) NOT NULL, qty INT NOT NULL, updated DATETIME(3) NOT NULL';

/** VmRSS, and its anonymous and file-backed parts (the embedded log's LMDB map is file-backed: reclaimable page cache), MiB. */
function rssMiB(pid: number): { rss: number; anon: number; file: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return {
    rss: Math.round(kb('VmRSS') / 1024),
    anon: Math.round(kb('RssAnon') / 1024),
    file: Math.round(kb('RssFile') / 1024),
  };
}

async function allRunning(port: number, names: string[]): Promise<boolean> {
  for (const name of names) {
    const res = await fetch(`http://127.0.0.1:${port}/connectors/${name}/status`).catch(() => null);
    if (!res || res.status !== 200) return false;
    const s = (await res.json()) as {
      connector: { state: string; trace?: string };
      tasks: { state: string; trace?: string }[];
    };
    const failed = [s.connector, ...s.tasks].find((x) => x.state === 'FAILED');
    if (failed) throw new Error(`${name} FAILED: ${(failed.trace ?? '').split('\n')[0]}`);
    if (s.connector.state !== 'RUNNING' || !s.tasks.length || s.tasks.some((t) => t.state !== 'RUNNING')) return false;
  }
  return true;
}

export interface ThreeConnectorsResult {
  connectors: string[];
  insertsPerSecondEach: number;
  settleSeconds: number;
  sampleSeconds: number;
  /** The largest VmRSS sample after settling. */
  steadyRssMiB: number;
  medianRssMiB: number;
  /** The largest RssAnon sample: VmRSS less the file-backed pages (the node binary, the embedded log's LMDB map). */
  steadyRssAnonMiB: number;
  /** RssFile at the first and the last sample: it grows with the embedded log as its map is touched. */
  rssFileMiB: { first: number; last: number };
  peakRssMiB: number;
  cpuSecondsWhileSampled: number;
  load1: number;
}

export async function threeConnectorsRss(opts: {
  pgUrl: URL;
  mariadbUrl: URL;
  dir: string;
  settleSeconds?: number;
  sampleSeconds?: number;
  insertsPerSecond?: number;
}): Promise<ThreeConnectorsResult> {
  const settle = opts.settleSeconds ?? 20;
  const sample = opts.sampleSeconds ?? 40;
  const perSecond = opts.insertsPerSecond ?? 200;
  const db = `bench_rss_${randomBytes(3).toString('hex')}`;
  const pgAdmin = new pg.Client({ connectionString: opts.pgUrl.toString() });
  await pgAdmin.connect();
  await pgAdmin.query(`CREATE DATABASE ${db}`);
  const pgDbUrl = new URL(opts.pgUrl.toString());
  pgDbUrl.pathname = `/${db}`;
  const pgc = new pg.Client({ connectionString: pgDbUrl.toString() });
  await pgc.connect();
  const my = await mysql.createConnection({
    host: opts.mariadbUrl.hostname,
    port: Number(opts.mariadbUrl.port),
    user: decodeURIComponent(opts.mariadbUrl.username),
    password: decodeURIComponent(opts.mariadbUrl.password),
  });
  const workDir = path.join(opts.dir, 'three-connectors');
  fs.mkdirSync(workDir, { recursive: true });
  let child: ReturnType<typeof startWorkerProcess> | null = null;
  let trickle: NodeJS.Timeout | null = null;
  try {
    await pgc.query(`CREATE TABLE public.rows (${PG_DDL})`);
    await pgc.query(`CREATE PUBLICATION ${db}_pub FOR TABLE public.rows`);
    await my.query(`CREATE DATABASE ${db}`);
    await my.query(`CREATE TABLE ${db}.\`rows\` (${MARIADB_DDL})`);
    const port = await freePort();
    fs.writeFileSync(
      path.join(workDir, 'worker.properties'),
      [
        `listeners=http://127.0.0.1:${port}`,
        `tributary.data.dir=${path.join(workDir, 'data')}`,
        'offset.flush.interval.ms=1000',
        'tributary.log.level=warn',
        `file.allowed.paths=${workDir}`,
        '',
      ].join('\n'),
    );
    const json = {
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    };
    const connectors = {
      'pg-source': {
        ...json,
        'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
        'database.hostname': opts.pgUrl.hostname,
        'database.port': opts.pgUrl.port,
        'database.user': decodeURIComponent(opts.pgUrl.username),
        'database.password': decodeURIComponent(opts.pgUrl.password),
        'database.dbname': db,
        'topic.prefix': `${db}_pg`,
        'slot.name': `${db}_slot`,
        'slot.drop.on.stop': 'true',
        'publication.name': `${db}_pub`,
        'publication.autocreate.mode': 'disabled',
        'plugin.name': 'pgoutput',
      },
      'mariadb-source': {
        ...json,
        'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
        'database.hostname': opts.mariadbUrl.hostname,
        'database.port': opts.mariadbUrl.port,
        'database.user': decodeURIComponent(opts.mariadbUrl.username),
        'database.password': decodeURIComponent(opts.mariadbUrl.password),
        'database.server.id': '20077',
        'database.include.list': db,
        'topic.prefix': `${db}_my`,
        'schema.history.internal': 'io.debezium.storage.file.history.FileSchemaHistory',
        'schema.history.internal.file.filename': path.join(workDir, 'history.dat'),
      },
      'file-sink': {
        ...json,
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
        topics: `${db}_pg.public.rows`,
        file: path.join(workDir, 'sink.txt'),
      },
    };
    const files = Object.entries(connectors).map(([name, config]) => {
      const file = `${name}.json`;
      fs.writeFileSync(path.join(workDir, file), JSON.stringify({ name, config }));
      return file;
    });
    child = startWorkerProcess(workDir, files);
    const names = Object.keys(connectors);
    const deadline = Date.now() + 5 * 60_000;
    while (!(await allRunning(port, names))) {
      if (child.exitCode !== null) throw new Error(`the worker exited (${child.exitCode}); see ${workDir}/worker.log`);
      if (Date.now() > deadline)
        throw new Error(
          `the three connectors were not RUNNING within 5 minutes; the worker's log ends: ${workerLog(workDir).slice(-1500)}`,
        );
      await new Promise((r) => setTimeout(r, 250));
    }
    let id = 0;
    trickle = setInterval(() => {
      const from = id + 1;
      id += perSecond / 10;
      const values = Array.from({ length: perSecond / 10 }, (_, i) => from + i);
      void pgc
        .query(`INSERT INTO public.rows SELECT g, 'code ' || g, g % 1000, now() FROM unnest($1::bigint[]) g`, [values])
        .catch(() => undefined);
      void my
        .query(
          `INSERT INTO ${db}.\`rows\` VALUES ${values.map((v) => `(${v}, 'code ${v}', ${v % 1000}, NOW(3))`).join(',')}`,
        )
        .catch(() => undefined);
    }, 100);
    await new Promise((r) => setTimeout(r, settle * 1000));
    const pid = child.pid!;
    const cpu0 = cpuSeconds(pid);
    const samples: Array<ReturnType<typeof rssMiB>> = [];
    for (let i = 0; i < sample; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      await allRunning(port, names);
      samples.push(rssMiB(pid));
    }
    const sorted = samples.map((m) => m.rss).sort((a, b) => a - b);
    return {
      connectors: names,
      insertsPerSecondEach: perSecond,
      settleSeconds: settle,
      sampleSeconds: sample,
      steadyRssMiB: sorted[sorted.length - 1],
      medianRssMiB: sorted[Math.floor(sorted.length / 2)],
      steadyRssAnonMiB: Math.max(...samples.map((m) => m.anon)),
      rssFileMiB: { first: samples[0].file, last: samples[samples.length - 1].file },
      peakRssMiB: peakRssMiB(pid),
      cpuSecondsWhileSampled: Number((cpuSeconds(pid) - cpu0).toFixed(2)),
      load1: load1(),
    };
  } finally {
    if (trickle) clearInterval(trickle);
    if (child) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => void killProcess(child!), 30_000);
      await new Promise((r) => (child!.exitCode !== null ? r(null) : child!.once('exit', r)));
      clearTimeout(timer);
    }
    await pgc.end();
    await pgAdmin
      .query(
        'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active',
        [db],
      )
      .catch(() => undefined);
    await pgAdmin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
    await pgAdmin.end();
    await my.query(`DROP DATABASE IF EXISTS ${db}`).catch(() => undefined);
    await my.end();
  }
}
