/**
 * The newcomer's path, CLI only, each from a fresh directory: `npm start`'s quickstart then
 * `tributary consume`; `tributary quickstart postgres` and `… mariadb` against the test servers
 * then `tributary consume` of the change events.
 */
import { describe, it, expect } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { waitFor } from '../../helpers/wait.ts';
import { testMysqlUrl, testPgUrl } from '../../setup/env.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = path.join(ROOT, 'cli/bin.js');
const env = { ...process.env, TRIBUTARY_LOG_LEVEL: 'warn' };

function start(
  args: string[],
  cwd: string,
  withStdin = false,
): { child: ChildProcess; out: () => string; err: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env,
    stdio: [withStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    err += d;
  });
  return { child, out: () => out, err: () => err };
}

/** Runs a CLI command to its end (async: the worker under test lives in another child). */
function cli(
  args: string[],
  cwd: string,
  input?: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = start(args, cwd, input !== undefined);
    if (input !== undefined) c.child.stdin!.end(input);
    c.child.once('exit', (status) => resolve({ status, stdout: c.out(), stderr: c.err() }));
  });
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

const jsonLines = (s: string) =>
  s
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { offset: number; key: unknown; value: Record<string, unknown> | null });

describe('newcomer path (CLI only)', () => {
  it('npm start, then tributary consume shows the lines streamed into the embedded log', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-newcomer-'));
    const qs = start(['quickstart', '--port=0'], cwd);
    try {
      const url = await waitFor(() => /REST API at (http:\/\/\S+)/.exec(qs.out())?.[1], {
        timeoutMs: 60_000,
        what: 'the quickstart worker URL',
      });
      const consumed = await waitFor(
        async () => {
          const r = await cli(['consume', 'quickstart', '--url', url, '--max-messages', '3'], cwd);
          return r.status === 0 && jsonLines(r.stdout).length === 3 ? r : null;
        },
        { timeoutMs: 60_000, what: 'three records on topic quickstart' },
      );
      expect(jsonLines(consumed.stdout).map((r) => r.value)).toEqual([
        'hello tributary 1',
        'hello tributary 2',
        'hello tributary 3',
      ]);
      const table = await cli(['--url', url, 'connectors', 'list', '--status', '--output', 'table'], cwd);
      expect(table.status).toBe(0);
      expect(table.stdout).toMatch(/^NAME\s+INSTANCE\s+STATE/);
      expect(table.stdout).toMatch(/quickstart-file-source\s+connector\s+RUNNING/);
      const topics = await cli(['topics', 'describe', 'quickstart', '--url', url], cwd);
      expect(JSON.parse(topics.stdout)).toMatchObject({
        name: 'quickstart',
        partitions: [{ partition: 0, start_offset: 0 }],
      });
    } finally {
      await stop(qs.child);
    }
  }, 180_000);

  for (const kind of ['postgres', 'mariadb'] as const) {
    it(`tributary quickstart ${kind}, then tributary consume shows the snapshot and the insert, update and delete`, async () => {
      const cwd = fs.mkdtempSync(path.join(os.tmpdir(), `trib-qs-${kind}-`));
      const dbUrl = kind === 'postgres' ? testPgUrl() : testMysqlUrl();
      const qs = start(['quickstart', kind, '--db-url', dbUrl, '--port', '0'], cwd);
      try {
        await waitFor(
          () =>
            qs.child.exitCode !== null
              ? Promise.reject(new Error(`quickstart exited ${qs.child.exitCode}: ${qs.err()}`))
              : qs.out().includes('Ctrl-C stops the worker'),
          { timeoutMs: 120_000, what: `the ${kind} quickstart` },
        );
        expect(qs.out()).toMatch(/--- quickstart\.tributary_quickstart\.customers-0 @ 5 .* op: d/);
        const url = /REST API at (http:\/\/\S+)/.exec(qs.out())![1];
        expect(fs.existsSync(path.join(cwd, '.tributary', `quickstart-${kind}`, 'data'))).toBe(true);

        const r = await cli(['consume', 'quickstart.tributary_quickstart.customers', '--url', url], cwd);
        expect(r.status, r.stderr).toBe(0);
        const events = jsonLines(r.stdout);
        expect(events.map((e) => e.value?.op ?? null)).toEqual(['r', 'r', 'r', 'c', 'u', 'd', null]);
        expect(events.map((e) => e.key)).toEqual([
          { id: 1 },
          { id: 2 },
          { id: 3 },
          { id: 4 },
          { id: 1 },
          { id: 3 },
          { id: 3 },
        ]);
        expect(events[3].value!.after).toMatchObject({ id: 4, first_name: 'Anne', email: 'annek@noanswer.org' });
        expect(events[4].value!.before).toMatchObject({ email: 'sally.thomas@acme.com' });
        expect(events[4].value!.after).toMatchObject({ email: 'sally.thomas@example.org' });
        expect(events[5].value!.before).toMatchObject({ id: 3, email: 'ed@walker.com' });
        expect(events[0].value!.source).toMatchObject({
          connector: kind === 'postgres' ? 'postgresql' : 'mariadb',
          name: 'quickstart',
          table: 'customers',
        });

        const status = await cli(['connectors', 'status', `inventory-${kind}`, '--url', url, '--output', 'table'], cwd);
        expect(status.stdout).toMatch(/inventory-\w+\s+task 0\s+RUNNING/);
      } finally {
        expect(await stop(qs.child)).toBe(0);
      }
      if (kind === 'postgres') {
        // slot.drop.on.stop: the quickstart leaves no slot holding WAL.
        const c = new pg.Client({ connectionString: testPgUrl() });
        await c.connect();
        const slots = await c.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = 'tributary_quickstart'");
        await c.end();
        expect(slots.rowCount).toBe(0);
      }
    }, 240_000);
  }
});
