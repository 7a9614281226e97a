/**
 * pg client configuration shared by the SQL (snapshot, catalog, heartbeat) and replication
 * connections: session settings that make text output parseable (ISO dates, ISO 8601 intervals,
 * UTC, hex bytea) and a type parser that leaves every value as PostgreSQL's text.
 */
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { PostgresConnectorSettings } from './config.ts';
import { connectPgWithTls, pgSslAttempts } from '../shared/tls/postgres-tls.ts';

const SESSION_OPTIONS =
  '-c DateStyle=ISO -c IntervalStyle=iso_8601 -c TimeZone=UTC -c bytea_output=hex -c extra_float_digits=1 -c lc_monetary=C';

const identity = (v: string): string => v;
/** Every column arrives as its text output, exactly as pgoutput sends it. */
export const TEXT_TYPES = { getTypeParser: () => identity } as unknown as pg.CustomTypesConfig;

export function clientConfig(
  s: PostgresConnectorSettings,
  replication: boolean,
  ssl: ConnectionOptions | false = pgSslAttempts(s.tls)[0],
): pg.ClientConfig {
  return {
    host: s.host,
    port: s.port,
    user: s.user,
    password: s.password ?? undefined,
    database: s.dbname,
    ssl,
    connectionTimeoutMillis: s.connectTimeoutMs,
    application_name: replication ? `tributary-${s.slotName}` : `tributary-${s.slotName}-sql`,
    options: SESSION_OPTIONS,
    types: TEXT_TYPES,
    ...(replication ? { replication: 'database' } : {}),
  } as pg.ClientConfig;
}

/** Opens a connection with database.sslmode (see connectPgWithTls). */
export function connectPgClient(s: PostgresConnectorSettings, replication: boolean): Promise<pg.Client> {
  return connectPgWithTls(s.tls, s.host, s.port, (ssl) => {
    const client = new pg.Client(clientConfig(s, replication, ssl));
    // An idle client whose server goes away emits 'error'; unhandled, that would crash the worker
    // process. The next query on it fails instead, and the task's reconnect path opens a new one.
    client.on('error', () => undefined);
    return client;
  });
}

export function openSqlClient(s: PostgresConnectorSettings): Promise<pg.Client> {
  return connectPgClient(s, false);
}

/** Quotes an identifier for SQL and replication commands. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
