/**
 * The connector READMEs' by-hand setup, as written there: a replication user with only the grants
 * listed (PostgreSQL: LOGIN REPLICATION, CONNECT, USAGE, SELECT and a publication made by the table
 * owner; MariaDB: SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR), the example
 * connector JSON with its database keys edited, `tributary standalone`, then `tributary consume`.
 */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { waitFor } from '../../helpers/wait.ts';
import { testMysqlUrl, testPgUrl } from '../../setup/env.ts';
import { main } from '../../../cli/main.ts';
import { Writable } from 'node:stream';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function consume(
  url: string,
  topic: string,
): Promise<Array<{ value: { op: string; after: { email: string } } }>> {
  let out = '';
  const sink = (f: (s: string) => void) =>
    new Writable({
      write(chunk, _e, cb) {
        f(String(chunk));
        cb();
      },
    });
  const code = await main(['consume', topic, '--url', url], {
    stdout: sink((s) => {
      out += s;
    }),
    stderr: sink(() => undefined),
  });
  return code === 0
    ? out
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { value: { op: string; after: { email: string } } })
    : [];
}

/** `tributary standalone worker.properties <connector.json>` in `dir`, on a free port; resolves with the REST URL. */
async function standalone(
  dir: string,
  connector: Record<string, unknown>,
): Promise<{ url: string; stop: () => Promise<void> }> {
  fs.writeFileSync(
    path.join(dir, 'worker.properties'),
    fs
      .readFileSync(path.join(ROOT, 'examples/quickstart/worker.properties'), 'utf8')
      .replace('listeners=http://127.0.0.1:8083', 'listeners=http://127.0.0.1:0'),
  );
  fs.writeFileSync(path.join(dir, 'connector.json'), JSON.stringify(connector));
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'cli/bin.js'), 'standalone', 'worker.properties', 'connector.json'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'warn' } },
  );
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const url = await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`standalone exited ${child.exitCode}: ${err}`);
      return /REST API at (http:\/\/\S+)/.exec(out)?.[1];
    },
    { timeoutMs: 60_000, what: 'the worker URL' },
  );
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

const example = (file: string) =>
  JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8')) as {
    name: string;
    config: Record<string, string>;
  };

describe('connector READMEs: the by-hand setup', () => {
  it('PostgreSQL: a REPLICATION user with CONNECT, USAGE, SELECT and an owner-made publication', async () => {
    const id = randomBytes(3).toString('hex');
    const db = `byhand_${id}`;
    const user = `tributary_${id}`;
    const admin = new pg.Client({ connectionString: testPgUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${db}`);
    const base = new URL(testPgUrl());
    const inDb = new URL(testPgUrl());
    inDb.pathname = `/${db}`;
    const owner = new pg.Client({ connectionString: inDb.toString() });
    await owner.connect();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-byhand-pg-'));
    let worker: { url: string; stop: () => Promise<void> } | undefined;
    try {
      await owner.query('CREATE SCHEMA tributary_quickstart');
      await owner.query('CREATE TABLE tributary_quickstart.customers (id serial PRIMARY KEY, email text NOT NULL)');
      await owner.query("INSERT INTO tributary_quickstart.customers (email) VALUES ('a@example.com')");
      // README step 2, then step 3 (the owner makes the publication).
      await owner.query(`CREATE ROLE ${user} WITH LOGIN REPLICATION PASSWORD 'tributary'`);
      await owner.query(`GRANT CONNECT ON DATABASE ${db} TO ${user}`);
      await owner.query(`GRANT USAGE ON SCHEMA tributary_quickstart TO ${user}`);
      await owner.query(`GRANT SELECT ON ALL TABLES IN SCHEMA tributary_quickstart TO ${user}`);
      await owner.query(`CREATE PUBLICATION pub_${id} FOR TABLE tributary_quickstart.customers`);

      const { name, config } = example('postgres-inventory.json');
      worker = await standalone(dir, {
        name,
        config: {
          ...config,
          'database.hostname': base.hostname,
          'database.port': base.port,
          'database.user': user,
          'database.password': 'tributary',
          'database.dbname': db,
          'slot.name': `slot_${id}`,
          'publication.name': `pub_${id}`,
          'publication.autocreate.mode': 'disabled',
          'slot.drop.on.stop': 'true',
        },
      });
      await waitFor(
        async () => (await consume(worker!.url, 'quickstart.tributary_quickstart.customers')).length === 1,
        { timeoutMs: 60_000, what: 'the snapshot row' },
      );
      await owner.query("INSERT INTO tributary_quickstart.customers (email) VALUES ('b@example.com')");
      const events = await waitFor(
        async () => {
          const e = await consume(worker!.url, 'quickstart.tributary_quickstart.customers');
          return e.length === 2 ? e : null;
        },
        { timeoutMs: 60_000, what: 'the streamed insert' },
      );
      expect(events.map((e) => [e.value.op, e.value.after.email])).toEqual([
        ['r', 'a@example.com'],
        ['c', 'b@example.com'],
      ]);
    } finally {
      await worker?.stop();
      await owner.end();
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${user}`).catch(() => undefined);
      await admin.end();
    }
  }, 180_000);

  it('MariaDB: a user with SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR', async () => {
    const id = randomBytes(3).toString('hex');
    const u = new URL(testMysqlUrl());
    const root = await mysql.createConnection({
      host: u.hostname,
      port: Number(u.port),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
    });
    const db = `byhand_${id}`;
    const user = `tributary_${id}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-byhand-maria-'));
    let worker: { url: string; stop: () => Promise<void> } | undefined;
    try {
      await root.query(`CREATE DATABASE ${db}`);
      await root.query(`CREATE TABLE ${db}.customers (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(100) NOT NULL)`);
      await root.query(`INSERT INTO ${db}.customers (email) VALUES ('a@example.com')`);
      await root.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'tributary'`);
      await root.query(
        `GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO '${user}'@'%'`,
      );

      const { name, config } = example('mariadb-inventory.json');
      worker = await standalone(dir, {
        name,
        config: {
          ...config,
          'database.hostname': u.hostname,
          'database.port': u.port,
          'database.user': user,
          'database.password': 'tributary',
          'database.server.id': String(300_000 + Math.floor(Math.random() * 100_000)),
          'database.include.list': db,
        },
      });
      const topic = `quickstart.${db}.customers`;
      await waitFor(async () => (await consume(worker!.url, topic)).length === 1, {
        timeoutMs: 60_000,
        what: 'the snapshot row',
      });
      await root.query(`INSERT INTO ${db}.customers (email) VALUES ('b@example.com')`);
      const events = await waitFor(
        async () => {
          const e = await consume(worker!.url, topic);
          return e.length === 2 ? e : null;
        },
        { timeoutMs: 60_000, what: 'the streamed insert' },
      );
      expect(events.map((e) => [e.value.op, e.value.after.email])).toEqual([
        ['r', 'a@example.com'],
        ['c', 'b@example.com'],
      ]);
    } finally {
      await worker?.stop();
      await root.query(`DROP DATABASE IF EXISTS ${db}`);
      await root.query(`DROP USER IF EXISTS '${user}'@'%'`);
      await root.end();
    }
  }, 180_000);
});
