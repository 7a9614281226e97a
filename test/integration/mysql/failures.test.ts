/**
 * Failures between the connector and the server: a connection cut mid-stream is retried from the
 * last emitted offset without losing or reordering changes; a corrupted event (bad CRC32) fails
 * the task naming its binlog file and position, and the offset never moves past it, so a restart
 * over a healthy connection delivers that change.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../../runtime/data/records.ts';
import type { Struct } from '../../../runtime/data/struct.ts';
import { TcpProxy } from '../../helpers/tcp-proxy.ts';
import { connectorConfig, createDatabase, mysqlServer, pollUntil, startTask } from './helpers.ts';

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const idOf = (r: SourceRecord) => (r.key as Struct).get('id') as number;

describe('MySQL source: connection failures', () => {
  it('reconnects after the connection is cut and loses nothing', async () => {
    const { db, conn } = await createDatabase('cut');
    cleanups.push(() => conn.end());
    await conn.query('CREATE TABLE t (id INT PRIMARY KEY)');
    const server = mysqlServer();
    const proxy = await new TcpProxy(server.host, Number(server.port)).start();
    cleanups.push(() => proxy.stop());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-cut-'));
    const { task, abort } = await startTask(
      connectorConfig(db, dir, { 'database.port': String(proxy.port), 'snapshot.mode': 'no_data' }),
      null,
      'cut',
    );
    cleanups.push(() => {
      task.stop();
      abort.abort();
    });
    await pollUntil(task, (all) => all.some((r) => r.topic === 'dbserver1'));
    const topic = `dbserver1.${db}.t`;
    for (let i = 1; i <= 50; i++) await conn.query('INSERT INTO t VALUES (?)', [i]);
    const first = (await pollUntil(task, (all) => all.filter((r) => r.topic === topic).length >= 50)).filter(
      (r) => r.topic === topic,
    );
    proxy.outage();
    for (let i = 51; i <= 100; i++) await conn.query('INSERT INTO t VALUES (?)', [i]);
    const during = await task.poll(); // fails over the cut connection and schedules a reconnect
    expect(during).toBeNull();
    proxy.restore();
    const rest = (await pollUntil(task, (all) => all.filter((r) => r.topic === topic).length >= 50)).filter(
      (r) => r.topic === topic,
    );
    expect([...first, ...rest].map(idOf)).toEqual(Array.from({ length: 100 }, (_, k) => k + 1));
  });

  it('fails on a corrupt event with its file and position and never commits past it', async () => {
    const { db, conn } = await createDatabase('crc');
    cleanups.push(() => conn.end());
    await conn.query('CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(30))');
    const server = mysqlServer();
    // A proxy that flips one byte of the row carrying the marker, on its way to the client.
    const marker = Buffer.from('CORRUPT-ME-PLEASE');
    const sockets = new Set<net.Socket>();
    const corrupting = net.createServer((client) => {
      const upstream = net.connect(Number(server.port), server.host);
      sockets.add(client).add(upstream);
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => {
        const i = chunk.indexOf(marker);
        if (i >= 0) chunk[i + 3] ^= 0x20;
        client.write(chunk);
      });
      const drop = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
    await new Promise<void>((r) => corrupting.listen(0, '127.0.0.1', r));
    cleanups.push(() => {
      for (const s of sockets) s.destroy();
      corrupting.close();
    });
    const port = (corrupting.address() as net.AddressInfo).port;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-crc-'));
    const config = connectorConfig(db, dir, { 'database.port': String(port), 'snapshot.mode': 'no_data' });
    const { task, abort } = await startTask(config, null, 'crc');
    await pollUntil(task, (all) => all.some((r) => r.topic === 'dbserver1'));
    const topic = `dbserver1.${db}.t`;
    await conn.query("INSERT INTO t VALUES (1, 'fine')");
    const got: SourceRecord[] = (await pollUntil(task, (all) => all.some((r) => r.topic === topic))).filter(
      (r) => r.topic === topic,
    );
    await conn.query(`INSERT INTO t VALUES (2, '${marker.toString()}')`);
    await conn.query("INSERT INTO t VALUES (3, 'after')");
    let failure: Error | null = null;
    const deadline = Date.now() + 20_000;
    while (!failure && Date.now() < deadline) {
      try {
        const batch = await task.poll();
        if (batch) got.push(...batch.filter((r) => r.topic === topic));
      } catch (err) {
        failure = err as Error;
      }
    }
    task.stop();
    abort.abort();
    expect(failure?.message).toMatch(
      /corrupt binlog event in mysql-bin\.\d+ at position \d+: binlog event checksum mismatch/,
    );
    const [, file, pos] = /in (\S+) at position (\d+)/.exec(failure!.message)!;
    expect(got.map(idOf)).toEqual([1]);
    const lastOffset = got[0].sourceOffset;
    expect(lastOffset.file === file ? Number(lastOffset.pos) < Number(pos) : true).toBe(true);

    // Restart from the committed offset over a direct connection: row 2 arrives intact.
    const direct = await startTask({ ...config, 'database.port': server.port }, lastOffset, 'crc');
    const after = (await pollUntil(direct.task, (all) => all.filter((r) => r.topic === topic).length >= 2)).filter(
      (r) => r.topic === topic,
    );
    direct.task.stop();
    direct.abort.abort();
    expect(after.map(idOf)).toEqual([2, 3]);
    expect(((after[0].value as Struct).get('after') as Struct).get('v')).toBe(marker.toString());
  });
});
