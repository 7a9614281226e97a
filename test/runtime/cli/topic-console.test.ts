/**
 * The topic console on the embedded log, driven through the CLI (cli/main.ts) against a worker:
 * topics create/list/describe/delete, produce from stdin, consume in every format and from every
 * start position, paging through the cursor, --follow, decoding with the worker's converters, and
 * the REST roles (read may browse, only admin may create, produce or delete).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../cli/main.ts';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { createLogger } from '../../../runtime/logging.ts';
import { io } from './collect.ts';

let worker: RunningWorker;
let dir: string;
const run = async (argv: string[], stdin?: string) => {
  const out = io(stdin);
  const code = await main([...argv, '--url', worker.url, '--user', 'ada:admin-pw'], out);
  return { code, stdout: out.stdout.text, stderr: out.stderr.text };
};
const lines = (s: string) =>
  s
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-topics-'));
  fs.writeFileSync(path.join(dir, 'credentials'), 'ada: admin-pw, admin\nrita: read-pw, read\n');
  worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.data.dir': path.join(dir, 'data'),
      'tributary.log.sync': 'os',
      'rest.auth.credentials.file': path.join(dir, 'credentials'),
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    },
    { logger: createLogger({ level: 'silent' }) },
  );
});
afterAll(async () => {
  await worker?.stop();
});

describe('topic console on the embedded log', () => {
  it('creates, lists, describes and deletes topics', async () => {
    const created = await run(['topics', 'create', 'orders', '--partitions', '3', '--config', 'retention.ms=-1']);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      name: 'orders',
      partitions: [{ partition: 0 }, { partition: 1 }, { partition: 2 }],
      configs: { 'retention.ms': '-1' },
    });
    expect((await run(['topics', 'create', 'orders'])).stderr).toMatch(/HTTP 409: Topic orders already exists/);
    const listed = await run(['topics', 'list']);
    expect(JSON.parse(listed.stdout)).toContainEqual({ name: 'orders', partitions: 3 });
    const table = await run(['topics', 'list', '--output', 'table']);
    expect(table.stdout).toMatch(/^NAME\s+PARTITIONS\norders\s+3\n/);
    expect((await run(['topics', 'delete', 'orders'])).code).toBe(0);
    const gone = await run(['topics', 'describe', 'orders']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe('Error: GET /tributary/topics/orders: HTTP 404: Topic orders not found\n');
  });

  it('produces lines from stdin and consumes them decoded, raw and pretty, from any position', async () => {
    await run(['topics', 'create', 'events', '--partitions', '2']);
    const input = Array.from({ length: 1200 }, (_v, i) => `k${i % 7}|{"n":${i},"name":"event ${i}"}`).join('\n') + '\n';
    const produced = await run(['produce', 'events', '--key-separator', '|'], input);
    expect(produced.code, produced.stderr).toBe(0);
    expect(produced.stderr).toBe('1200 record(s) written to events\n');

    // Pages of 500 through the cursor: every record once, in offset order per partition.
    const all = await run(['consume', 'events']);
    expect(all.code, all.stderr).toBe(0);
    const records = lines(all.stdout);
    expect(records).toHaveLength(1200);
    expect(all.stderr).toBe('1200 record(s)\n');
    expect(new Set(records.map((r) => (r.value as { n: number }).n)).size).toBe(1200);
    for (const p of [0, 1]) {
      const offsets = records.filter((r) => r.partition === p).map((r) => r.offset as number);
      expect(offsets).toEqual(offsets.map((_v, i) => i));
    }
    // Same key, same partition (murmur2 as Kafka's producer).
    const partitionOfKey = new Map<string, number>();
    for (const r of records) {
      expect(partitionOfKey.get(r.key as string) ?? r.partition).toBe(r.partition);
      partitionOfKey.set(r.key as string, r.partition as number);
    }
    expect(records[0]).toMatchObject({
      topic: 'events',
      key: expect.stringMatching(/^k\d$/),
      value: { n: expect.any(Number), name: expect.stringMatching(/^event /) },
    });

    const p1 = records.filter((r) => r.partition === 1);
    const fromOffset = lines(
      (await run(['consume', 'events', '--partition', '1', '--offset', '5', '--max-messages', '3'])).stdout,
    );
    expect(fromOffset.map((r) => r.value)).toEqual(p1.slice(5, 8).map((r) => r.value));

    const raw = await run(['consume', 'events', '--partition', '1', '--max-messages', '2', '--format', 'raw']);
    expect(raw.stdout).toBe(
      p1
        .slice(0, 2)
        .map((r) => JSON.stringify(r.value))
        .join('\n') + '\n',
    );

    const pretty = await run(['consume', 'events', '--partition', '0', '--max-messages', '1', '--format', 'pretty']);
    expect(pretty.stdout).toMatch(
      /^--- events-0 @ 0 {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}key: "k\d"\n\{\n {2}"n": \d+,\n {2}"name": "event \d+"\n\}\n$/,
    );

    // --from-datetime after everything: nothing; before: everything.
    expect(
      lines((await run(['consume', 'events', '--from-datetime', new Date(Date.now() + 60_000).toISOString()])).stdout),
    ).toHaveLength(0);
    expect(lines((await run(['consume', 'events', '--from-datetime', '2000-01-01T00:00:00Z'])).stdout)).toHaveLength(
      1200,
    );

    // Another converter on request: the value as a string.
    const asString = lines(
      (await run(['consume', 'events', '--partition', '1', '--max-messages', '1', '--value-converter', 'string']))
        .stdout,
    );
    expect(typeof asString[0].value).toBe('string');
    expect(JSON.parse(asString[0].value as string)).toEqual(p1[0].value);
  });

  it('shows what a converter cannot decode as text with the reason', async () => {
    await run(['topics', 'create', 'plain']);
    await run(['produce', 'plain'], 'not json at all\n');
    const [r] = lines((await run(['consume', 'plain'])).stdout);
    expect(r.value).toBe('not json at all');
    expect(r.value_error).toMatch(/JSON|json|Unexpected/);
  });

  it('--follow waits for new records and stops after --max-messages', async () => {
    await run(['topics', 'create', 'live']);
    const following = run(['consume', 'live', '--follow', '--max-messages', '2']);
    await new Promise((r) => setTimeout(r, 300));
    await run(['produce', 'live'], '{"a":1}\n{"a":2}\n{"a":3}\n');
    const done = await following;
    expect(done.code).toBe(0);
    expect(lines(done.stdout).map((r) => r.value)).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('pages over REST with limit and next_cursor', async () => {
    const auth = { authorization: `Basic ${Buffer.from('rita:read-pw').toString('base64')}` };
    const first = (await (
      await fetch(`${worker.url}/tributary/topics/events/records?partition=0&limit=10&decode=false`, { headers: auth })
    ).json()) as { records: Array<{ offset: number; value: string }>; next_cursor: string; at_end: boolean };
    expect(first.records.map((r) => r.offset)).toEqual([...Array(10).keys()]);
    expect(first.at_end).toBe(false);
    const second = (await (
      await fetch(`${worker.url}/tributary/topics/events/records?cursor=${first.next_cursor}&limit=10`, {
        headers: auth,
      })
    ).json()) as { records: Array<{ offset: number; partition: number }> };
    expect(second.records.map((r) => r.offset)).toEqual([...Array(10).keys()].map((i) => i + 10));
    expect(second.records.every((r) => r.partition === 0)).toBe(true);
    const bad = await fetch(`${worker.url}/tributary/topics/events/records?cursor=zzz`, { headers: auth });
    expect(bad.status).toBe(400);
  });

  it('respects the REST roles: read browses, only admin creates, produces or deletes', async () => {
    const as = (user: string) => ({
      authorization: `Basic ${Buffer.from(user).toString('base64')}`,
      'content-type': 'application/json',
    });
    expect((await fetch(`${worker.url}/tributary/topics`)).status).toBe(401);
    expect((await fetch(`${worker.url}/tributary/topics`, { headers: as('rita:read-pw') })).status).toBe(200);
    expect(
      (await fetch(`${worker.url}/tributary/topics/events/records?limit=1`, { headers: as('rita:read-pw') })).status,
    ).toBe(200);
    expect(
      (
        await fetch(`${worker.url}/tributary/topics`, {
          method: 'POST',
          headers: as('rita:read-pw'),
          body: JSON.stringify({ name: 'x' }),
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await fetch(`${worker.url}/tributary/topics/events/records`, {
          method: 'POST',
          headers: as('rita:read-pw'),
          body: JSON.stringify({ records: [{ value: 'v' }] }),
        })
      ).status,
    ).toBe(403);
    expect(
      (await fetch(`${worker.url}/tributary/topics/events`, { method: 'DELETE', headers: as('rita:read-pw') })).status,
    ).toBe(403);
    const cli = io();
    expect(await main(['topics', 'delete', 'events', '--url', worker.url, '--user', 'rita:read-pw'], cli)).toBe(1);
    expect(cli.stderr.text).toMatch(/HTTP 403/);
    expect(
      (
        await fetch(`${worker.url}/tributary/topics/events/records`, {
          method: 'POST',
          headers: as('ada:admin-pw'),
          body: JSON.stringify({ records: [{ key: 'k', value: '{"n":-1}' }] }),
        })
      ).status,
    ).toBe(200);
  });
});
