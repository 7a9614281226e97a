/**
 * The database side of the quickstarts: checks the server is set up for CDC (one line with the fix
 * when not), (re)creates tributary_quickstart.customers with three rows, and makes the changes.
 */
import path from 'node:path';
import { ConfigException } from '../../runtime/errors.ts';

export interface SampleDatabase {
  /** The connector settings the URL determines (host, port, user, password, …). */
  connectorOverrides: Record<string, string>;
  topic: string;
  /** How to reach the database from a shell, for the closing hint. */
  shell: string;
  makeChanges(): Promise<void>;
  close(): Promise<void>;
}

const ROWS = [
  ['Sally', 'Thomas', 'sally.thomas@acme.com'],
  ['George', 'Bailey', 'gbailey@foobar.com'],
  ['Edward', 'Walker', 'ed@walker.com'],
];

function parseUrl(raw: string, scheme: string[], defaultPort: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigException(
      `--db-url ${raw} is not a URL; give e.g. ${scheme[0]}://user:password@127.0.0.1:${defaultPort}/`,
    );
  }
  if (!scheme.includes(u.protocol.replace(/:$/, '')))
    throw new ConfigException(
      `--db-url must start with ${scheme.map((s) => `${s}://`).join(' or ')}, not ${u.protocol}//`,
    );
  return u;
}

export async function preparePostgres(url: string): Promise<SampleDatabase> {
  const u = parseUrl(url, ['postgres', 'postgresql'], '5432');
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    throw new ConfigException(
      `Cannot connect to PostgreSQL at ${u.host}: ${(err as Error).message}; start it or pass --db-url with its URL (in a checkout, \`npx tsx test/setup/up.ts\` provisions one on port 55432 and prints its URL)`,
    );
  }
  try {
    const wal = (await client.query<{ wal_level: string }>('SHOW wal_level')).rows[0].wal_level;
    if (wal !== 'logical')
      throw new ConfigException(
        `PostgreSQL at ${u.host} has wal_level=${wal}; CDC needs logical: run ALTER SYSTEM SET wal_level = logical; and restart PostgreSQL (see connectors/postgres/README.md)`,
      );
    await client.query('CREATE SCHEMA IF NOT EXISTS tributary_quickstart');
    await client.query('DROP TABLE IF EXISTS tributary_quickstart.customers');
    await client.query(
      'CREATE TABLE tributary_quickstart.customers (id serial PRIMARY KEY, first_name text NOT NULL, last_name text NOT NULL, email text NOT NULL UNIQUE)',
    );
    // FULL: updates and deletes carry the whole old row in "before".
    await client.query('ALTER TABLE tributary_quickstart.customers REPLICA IDENTITY FULL');
    for (const r of ROWS)
      await client.query(
        'INSERT INTO tributary_quickstart.customers (first_name, last_name, email) VALUES ($1, $2, $3)',
        r,
      );
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return {
    connectorOverrides: {
      'database.hostname': u.hostname,
      'database.port': u.port || '5432',
      'database.user': decodeURIComponent(u.username || 'postgres'),
      'database.password': decodeURIComponent(u.password),
      'database.dbname': decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
      // A quickstart should not leave a slot holding WAL behind.
      'slot.drop.on.stop': 'true',
    },
    topic: 'quickstart.tributary_quickstart.customers',
    shell: `psql '${url.replace(/:[^:@/]*@/, ':***@')}'`,
    async makeChanges() {
      await client.query(
        "INSERT INTO tributary_quickstart.customers (first_name, last_name, email) VALUES ('Anne', 'Kretchmar', 'annek@noanswer.org')",
      );
      await client.query(
        "UPDATE tributary_quickstart.customers SET email = 'sally.thomas@example.org' WHERE email = 'sally.thomas@acme.com'",
      );
      await client.query("DELETE FROM tributary_quickstart.customers WHERE email = 'ed@walker.com'");
    },
    close: () => client.end(),
  };
}

export async function prepareMariadb(url: string, dataDir: string): Promise<SampleDatabase> {
  const u = parseUrl(url, ['mysql', 'mariadb'], '3306');
  const { default: mysql } = await import('mysql2/promise');
  const opts = {
    host: u.hostname,
    port: Number(u.port || '3306'),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
  };
  let conn: Awaited<ReturnType<typeof mysql.createConnection>>;
  try {
    conn = await mysql.createConnection(opts);
  } catch (err) {
    throw new ConfigException(
      `Cannot connect to MariaDB/MySQL at ${u.host}: ${(err as Error).message}; start it or pass --db-url with its URL (in a checkout, \`npx tsx test/setup/up.ts\` provisions one on port 53306 and prints its URL)`,
    );
  }
  try {
    const [rows] = await conn.query(
      'SELECT @@log_bin AS log_bin, @@binlog_format AS format, @@binlog_row_image AS image',
    );
    const v = (rows as Array<{ log_bin: number; format: string; image: string }>)[0];
    if (Number(v.log_bin) !== 1 || v.format !== 'ROW' || v.image !== 'FULL') {
      throw new ConfigException(
        `The server at ${u.host} has log_bin=${v.log_bin}, binlog_format=${v.format}, binlog_row_image=${v.image}; CDC needs log_bin=ON, binlog_format=ROW, binlog_row_image=FULL in its config file (see connectors/mysql/README.md)`,
      );
    }
    await conn.query('CREATE DATABASE IF NOT EXISTS tributary_quickstart');
    await conn.query('DROP TABLE IF EXISTS tributary_quickstart.customers');
    await conn.query(
      'CREATE TABLE tributary_quickstart.customers (id INT AUTO_INCREMENT PRIMARY KEY, first_name VARCHAR(255) NOT NULL, last_name VARCHAR(255) NOT NULL, email VARCHAR(255) NOT NULL UNIQUE)',
    );
    for (const r of ROWS)
      await conn.query('INSERT INTO tributary_quickstart.customers (first_name, last_name, email) VALUES (?, ?, ?)', r);
  } catch (err) {
    await conn.end().catch(() => undefined);
    throw err;
  }
  return {
    connectorOverrides: {
      'database.hostname': opts.host,
      'database.port': String(opts.port),
      'database.user': opts.user,
      'database.password': opts.password,
      // Unique among the server's replicas and CDC clients.
      'database.server.id': String(100_000 + Math.floor(Math.random() * 1_000_000)),
      'schema.history.internal.file.filename': path.join(dataDir, 'schema-history.jsonl'),
    },
    topic: 'quickstart.tributary_quickstart.customers',
    shell: `mysql -h ${opts.host} -P ${opts.port} -u ${opts.user} -p tributary_quickstart`,
    async makeChanges() {
      await conn.query(
        "INSERT INTO tributary_quickstart.customers (first_name, last_name, email) VALUES ('Anne', 'Kretchmar', 'annek@noanswer.org')",
      );
      await conn.query(
        "UPDATE tributary_quickstart.customers SET email = 'sally.thomas@example.org' WHERE email = 'sally.thomas@acme.com'",
      );
      await conn.query("DELETE FROM tributary_quickstart.customers WHERE email = 'ed@walker.com'");
    },
    close: () => conn.end(),
  };
}
