/**
 * PostgreSQL 15+ from Debian packages, in its own data directory on port 55432 with
 * wal_level=logical, password auth (postgres/postgres) and replication connections allowed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { SERVICES_DIR, PORTS } from './paths.ts';
import { aptInstall, log, portOpen, run, startDetached, waitUntil } from './shell.ts';

export const PG_URL = `postgres://postgres:postgres@127.0.0.1:${PORTS.postgres}/postgres`;

export function pgBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .map(Number)
    .filter((v) => v >= 15)
    .sort((a, b) => b - a);
  for (const v of versions)
    if (fs.existsSync(path.join(root, String(v), 'bin', 'initdb'))) return path.join(root, String(v), 'bin');
  return undefined;
}

async function canConnect(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function ensurePostgres(): Promise<string> {
  const dataDir = path.join(SERVICES_DIR, 'postgres', 'data');
  const logFile = path.join(SERVICES_DIR, 'postgres', 'server.log');
  if (await portOpen(PORTS.postgres)) {
    await waitUntil('PostgreSQL', canConnect, 30_000, logFile);
    log('postgres', `reusing the server on port ${PORTS.postgres}`);
    return PG_URL;
  }
  let bin = pgBinDir();
  if (!bin) {
    await aptInstall(['postgresql-15', 'postgresql-contrib']);
    bin = pgBinDir();
    if (!bin) throw new Error('PostgreSQL was installed but no initdb was found under /usr/lib/postgresql/*/bin');
  }
  const { uid, gid } = systemUser('postgres');
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  fs.chownSync(path.dirname(dataDir), uid, gid);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log('postgres', `initdb in ${dataDir}`);
    fs.rmSync(dataDir, { recursive: true, force: true });
    const pwFile = path.join(os.tmpdir(), `trib-pgpw-${process.pid}`);
    fs.writeFileSync(pwFile, 'postgres\n');
    fs.chownSync(pwFile, uid, gid);
    try {
      run(
        path.join(bin, 'initdb'),
        [
          '-D',
          dataDir,
          '-U',
          'postgres',
          '--auth=scram-sha-256',
          `--pwfile=${pwFile}`,
          '-E',
          'UTF8',
          '--locale=C.UTF-8',
        ],
        { uid, gid },
      );
    } finally {
      fs.rmSync(pwFile, { force: true });
    }
    fs.appendFileSync(
      path.join(dataDir, 'postgresql.conf'),
      [
        '',
        '# Tributary test server',
        `port = ${PORTS.postgres}`,
        "listen_addresses = '127.0.0.1'",
        "unix_socket_directories = '/tmp'",
        'wal_level = logical',
        'max_replication_slots = 40',
        'max_wal_senders = 40',
        'max_connections = 200',
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        "shared_buffers = '256MB'",
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dataDir, 'pg_hba.conf'),
      [
        'local all all trust',
        'local replication all trust',
        'host all all 127.0.0.1/32 scram-sha-256',
        'host replication all 127.0.0.1/32 scram-sha-256',
        '',
      ].join('\n'),
    );
  }
  log('postgres', `starting on port ${PORTS.postgres}`);
  fs.writeFileSync(logFile, '');
  fs.chownSync(logFile, uid, gid);
  startDetached(path.join(bin, 'postgres'), ['-D', dataDir], logFile, { uid, gid, cwd: path.dirname(dataDir) });
  await waitUntil('PostgreSQL', canConnect, 60_000, logFile);
  return PG_URL;
}

export function systemUser(name: string): { uid: number; gid: number } {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`system user ${name} does not exist (the Debian package creates it)`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
