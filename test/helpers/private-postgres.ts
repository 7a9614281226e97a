/**
 * A PostgreSQL server of a test's own (initdb into a temporary directory, a free port,
 * wal_level=logical, durable commits — unlike the shared server's fsync=off), so the test can restart it — even crash it with an immediate shutdown —
 * without disturbing the shared test server other tests run against in parallel.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pgBinDir, systemUser } from '../setup/postgres.ts';
import { installServerKeyPair, type TestCerts } from './test-certs.ts';
import { freePort } from './free-port.ts';

export class PrivatePostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
    private readonly owner: { uid: number; gid: number },
  ) {}

  get url(): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/postgres`;
  }

  /**
   * `tls`: TLS on with the test certificates; pg_hba then accepts only TLS connections (hostssl),
   * password users by scram and `certUser` (the client certificate's CN) by client certificate.
   */
  static async start(opts: { tls?: { certs: TestCerts; certUser?: string } } = {}): Promise<PrivatePostgres> {
    const bin = pgBinDir();
    if (!bin) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql (the test setup installs them)');
    const owner = systemUser('postgres');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-private-pg-'));
    fs.chownSync(dir, owner.uid, owner.gid);
    const pw = path.join(dir, 'pw');
    fs.writeFileSync(pw, 'postgres\n');
    fs.chownSync(pw, owner.uid, owner.gid);
    const data = path.join(dir, 'data');
    execFileSync(
      path.join(bin, 'initdb'),
      ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pw}`, '-E', 'UTF8', '--locale=C.UTF-8'],
      { uid: owner.uid, gid: owner.gid, stdio: 'pipe' },
    );
    const port = await freePort();
    fs.appendFileSync(
      path.join(data, 'postgresql.conf'),
      [
        '',
        `port = ${port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'wal_level = logical',
        'max_replication_slots = 10',
        'max_wal_senders = 10',
        "shared_buffers = '64MB'",
        '',
      ].join('\n'),
    );
    if (opts.tls) {
      const files = installServerKeyPair(opts.tls.certs, dir, owner);
      fs.appendFileSync(
        path.join(data, 'postgresql.conf'),
        `ssl = on\nssl_cert_file = '${files.cert}'\nssl_key_file = '${files.key}'\nssl_ca_file = '${files.ca}'\n`,
      );
      const certUser = opts.tls.certUser;
      fs.writeFileSync(
        path.join(data, 'pg_hba.conf'),
        [
          ...(certUser
            ? [`hostssl all ${certUser} 127.0.0.1/32 cert`, `hostssl replication ${certUser} 127.0.0.1/32 cert`]
            : []),
          'hostssl all all 127.0.0.1/32 scram-sha-256',
          'hostssl replication all 127.0.0.1/32 scram-sha-256',
          '',
        ].join('\n'),
      );
    } else {
      fs.writeFileSync(
        path.join(data, 'pg_hba.conf'),
        'host all all 127.0.0.1/32 scram-sha-256\nhost replication all 127.0.0.1/32 scram-sha-256\n',
      );
    }
    const pg = new PrivatePostgres(dir, port, bin, owner);
    pg.ctl(['start', '-w', '-t', '60', '-l', path.join(dir, 'server.log')]);
    return pg;
  }

  private ctl(args: string[]): void {
    const r = spawnSync(path.join(this.bin, 'pg_ctl'), ['-D', path.join(this.dir, 'data'), ...args], {
      uid: this.owner.uid,
      gid: this.owner.gid,
      encoding: 'utf8',
    });
    if (r.status !== 0)
      throw new Error(
        `pg_ctl ${args[0]} failed: ${r.stderr}${r.stdout}\n${fs.existsSync(path.join(this.dir, 'server.log')) ? fs.readFileSync(path.join(this.dir, 'server.log'), 'utf8').slice(-2000) : ''}`,
      );
  }

  /** Stops the server: `immediate` is a crash (no checkpoint; recovery on the next start). */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    this.ctl(['stop', '-w', '-m', mode]);
  }

  start(): void {
    this.ctl(['start', '-w', '-t', '60', '-l', path.join(this.dir, 'server.log')]);
  }

  destroy(): void {
    try {
      this.stop('immediate');
    } catch {
      /* already stopped */
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
