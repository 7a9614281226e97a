/**
 * MariaDB 10.11 from Debian packages, own datadir on port 53306, binlog in ROW format with full
 * row images and metadata (what the MySQL source connector needs), root password "tributary".
 */
import fs from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { SERVICES_DIR, PORTS } from './paths.ts';
import { spawnSync } from 'node:child_process';
import { aptInstall, log, portOpen, run, startDetached, waitUntil, which } from './shell.ts';
import { systemUser } from './postgres.ts';

export const MYSQL_URL = `mysql://root:tributary@127.0.0.1:${PORTS.mariadb}/`;

async function canConnect(): Promise<boolean> {
  const c = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 2000 });
  try {
    await c.query('SELECT 1');
    return true;
  } finally {
    await c.end();
  }
}

export async function ensureMariadb(): Promise<string> {
  const base = path.join(SERVICES_DIR, 'mariadb');
  const dataDir = path.join(base, 'data');
  const logFile = path.join(base, 'server.log');
  const cnf = path.join(base, 'my.cnf');
  if ((await portOpen(PORTS.mariadb)) && (await canConnect().catch(() => false))) {
    log('mariadb', `reusing the server on port ${PORTS.mariadb}`);
    return MYSQL_URL;
  }
  const running = await portOpen(PORTS.mariadb);
  if (!running && !which('mariadbd') && !fs.existsSync('/usr/sbin/mariadbd'))
    await aptInstall(['mariadb-server', 'mariadb-client']);
  const { uid, gid } = systemUser('mysql');
  fs.mkdirSync(base, { recursive: true });
  fs.chownSync(base, uid, gid);
  if (!running)
    fs.writeFileSync(
      cnf,
      [
        '[mysqld]',
        `port = ${PORTS.mariadb}`,
        'bind-address = 127.0.0.1',
        `socket = ${path.join(base, 'mysqld.sock')}`,
        `datadir = ${dataDir}`,
        `pid-file = ${path.join(base, 'mysqld.pid')}`,
        'user = mysql',
        'server_id = 1',
        `log_bin = ${path.join(dataDir, 'mysql-bin')}`,
        'binlog_format = ROW',
        'binlog_row_image = FULL',
        'binlog_row_metadata = FULL',
        'gtid_strict_mode = ON',
        'max_connections = 300',
        'innodb_flush_log_at_trx_commit = 2',
        'sync_binlog = 0',
        'innodb_buffer_pool_size = 256M',
        'character_set_server = utf8mb4',
        'collation_server = utf8mb4_general_ci',
        'skip-name-resolve',
        '',
      ].join('\n'),
    );
  if (!running && !fs.existsSync(path.join(dataDir, 'mysql'))) {
    log('mariadb', `mariadb-install-db in ${dataDir}`);
    fs.rmSync(dataDir, { recursive: true, force: true });
    run(
      'mariadb-install-db',
      [`--defaults-file=${cnf}`, '--auth-root-authentication-method=normal', '--skip-test-db'],
      { stdio: 'pipe' },
    );
    run('chown', ['-R', 'mysql:mysql', base]);
  }
  if (!running) {
    log('mariadb', `starting on port ${PORTS.mariadb}`);
    startDetached('mariadbd', [`--defaults-file=${cnf}`], logFile);
  }
  const socket = path.join(base, 'mysqld.sock');
  await waitUntil('MariaDB socket', async () => fs.existsSync(socket), 60_000, logFile);
  await waitUntil(
    'MariaDB socket login',
    async () => socketLogin(socket, []) || socketLogin(socket, ['-ptributary']),
    30_000,
    logFile,
  );
  if (!(await canConnect().catch(() => false))) {
    // A fresh datadir's root users have no password: give every root account ours, over the socket.
    const sql = ['localhost', '127.0.0.1', '%']
      .map(
        (h) =>
          `CREATE USER IF NOT EXISTS 'root'@'${h}'; ALTER USER 'root'@'${h}' IDENTIFIED BY 'tributary'; GRANT ALL ON *.* TO 'root'@'${h}' WITH GRANT OPTION;`,
      )
      .join(' ');
    const auth = socketLogin(socket, []) ? [] : ['-ptributary'];
    run('mariadb', [`--socket=${socket}`, '-uroot', ...auth, '-e', `${sql} FLUSH PRIVILEGES;`]);
  }
  await waitUntil('MariaDB', canConnect, 60_000, logFile);
  return MYSQL_URL;
}

function socketLogin(socket: string, auth: string[]): boolean {
  return (
    spawnSync('mariadb', [`--socket=${socket}`, '-uroot', ...auth, '-e', 'SELECT 1'], { encoding: 'utf8' }).status === 0
  );
}
