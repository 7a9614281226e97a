/**
 * A MariaDB server of a test's own (mariadb-install-db into a temporary directory, a free port,
 * binlog in ROW format with full metadata, durable commits), so the test can crash (SIGKILL) and
 * restart it without disturbing the shared test server.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { TestCerts } from './test-certs.ts';
import { freePort } from './free-port.ts';

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, log: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${what} within ${timeoutMs} ms; log:\n${fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : ''}`,
  );
}

export class PrivateMariadb {
  private child: ChildProcess | null = null;
  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly certs: TestCerts | null = null,
  ) {}

  get cnf(): string {
    return path.join(this.dir, 'my.cnf');
  }

  /**
   * `serverId`: this server's server_id (default 7); `extra`: more [mysqld] lines (e.g. `log_slave_updates = ON`);
   * `tls`: TLS with the test certificates and require_secure_transport=ON (TCP clients must use TLS).
   */
  static async start(opts: { serverId?: number; extra?: string[]; tls?: TestCerts } = {}): Promise<PrivateMariadb> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-private-mariadb-'));
    const port = await freePort();
    const m = new PrivateMariadb(dir, port, opts.tls ?? null);
    const tlsLines = opts.tls
      ? [
          `ssl_cert = ${opts.tls.serverCert}`,
          `ssl_key = ${opts.tls.serverKey}`,
          `ssl_ca = ${opts.tls.caCert}`,
          'require_secure_transport = ON',
        ]
      : [];
    fs.writeFileSync(
      m.cnf,
      [
        '[mysqld]',
        `port = ${port}`,
        'bind-address = 127.0.0.1',
        `socket = ${path.join(dir, 'mysqld.sock')}`,
        `datadir = ${path.join(dir, 'data')}`,
        // its own temporary directory: mariadb-install-db's temporary tables in the shared /tmp
        // failed now and then while other tests ran ("Could not remove temporary table").
        `tmpdir = ${path.join(dir, 'tmp')}`,
        `pid-file = ${path.join(dir, 'mysqld.pid')}`,
        'user = mysql',
        `server_id = ${opts.serverId ?? 7}`,
        `log_bin = ${path.join(dir, 'data', 'mysql-bin')}`,
        'binlog_format = ROW',
        'binlog_row_image = FULL',
        'binlog_row_metadata = FULL',
        'innodb_buffer_pool_size = 64M',
        'skip-name-resolve',
        ...tlsLines,
        ...(opts.extra ?? []),
        '',
      ].join('\n'),
    );
    fs.mkdirSync(path.join(dir, 'tmp'));
    spawnSync('chown', ['-R', 'mysql:mysql', dir]);
    const r = spawnSync(
      'mariadb-install-db',
      [`--defaults-file=${m.cnf}`, '--auth-root-authentication-method=normal', '--skip-test-db'],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`mariadb-install-db failed: ${r.stderr}`);
    spawnSync('chown', ['-R', 'mysql:mysql', dir]);
    await m.start();
    const sock = path.join(dir, 'mysqld.sock');
    const set = spawnSync(
      'mariadb',
      [
        `--socket=${sock}`,
        '-uroot',
        '-e',
        "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY 'tributary'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; FLUSH PRIVILEGES;",
      ],
      { encoding: 'utf8' },
    );
    if (set.status !== 0) throw new Error(`setting the root password failed: ${set.stderr}`);
    return m;
  }

  connection(): Promise<mysql.Connection> {
    const ssl = this.certs ? { ca: fs.readFileSync(this.certs.caCert, 'utf8'), rejectUnauthorized: true } : undefined;
    return mysql.createConnection({
      host: '127.0.0.1',
      port: this.port,
      user: 'root',
      password: 'tributary',
      connectTimeout: 3000,
      ssl,
    });
  }

  async start(): Promise<void> {
    const log = path.join(this.dir, 'server.log');
    const out = fs.openSync(log, 'a');
    this.child = spawn('mariadbd', [`--defaults-file=${this.cnf}`], { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    await until('MariaDB socket', async () => fs.existsSync(path.join(this.dir, 'mysqld.sock')), 60_000, log);
  }

  /** SIGKILL: a crash, recovered from the redo log and binlog at the next start. */
  async crash(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
    fs.rmSync(path.join(this.dir, 'mysqld.sock'), { force: true });
  }

  async destroy(): Promise<void> {
    await this.crash();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
