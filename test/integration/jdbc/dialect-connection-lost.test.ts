/**
 * The PostgreSQL dialect classifies a dropped connection as transient without reading messages:
 * node-postgres fails the in-flight query with a code-less "Connection terminated unexpectedly",
 * after its 'error' event told the dialect the connection was lost. A TCP proxy in front of the
 * shared server cuts the connection mid-query.
 */
import { describe, it, expect, afterAll } from 'vitest';
import net from 'node:net';
import { resolveSettings } from '../../../connectors/jdbc/config.ts';
import { PostgresDialect } from '../../../connectors/jdbc/dialects/postgres.ts';
import { testPgUrl } from '../../setup/env.ts';

const sockets = new Set<net.Socket>();
let proxy: net.Server | undefined;
afterAll(() => {
  for (const s of sockets) s.destroy();
  proxy?.close();
});

async function startProxy(target: URL): Promise<number> {
  proxy = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', r));
  return (proxy.address() as net.AddressInfo).port;
}

describe('PostgreSQL dialect: a connection cut mid-query', () => {
  it('is transient (the batch is retried); a SQL error on a live connection is not', async () => {
    const target = new URL(testPgUrl());
    const port = await startProxy(target);
    const dialect = new PostgresDialect(
      resolveSettings({
        'connection.url': `jdbc:postgresql://127.0.0.1:${port}${target.pathname}`,
        'connection.username': decodeURIComponent(target.username),
        'connection.password': decodeURIComponent(target.password),
        topics: 't',
      }),
    );
    await dialect.connect();
    const syntax = await (dialect as unknown as { c: { query(sql: string): Promise<unknown> } }).c
      .query('SELEC 1')
      .catch((e: unknown) => e);
    expect((syntax as { code?: string }).code).toBe('42601');
    expect(dialect.isTransient(syntax)).toBe(false);

    const pending = (dialect as unknown as { c: { query(sql: string): Promise<unknown> } }).c
      .query('SELECT pg_sleep(5)')
      .catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 300));
    for (const s of sockets) s.destroy();
    const cut = (await pending) as Error & { code?: string };
    expect(cut.message).toMatch(/Connection terminated unexpectedly/);
    expect(cut.code).toBeUndefined();
    expect(dialect.isTransient(cut)).toBe(true);
    await dialect.close();
  });
});
