/** The topic console straight against Kafka (`--bootstrap-server`), CLI only: create, produce, list, consume, delete. */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../helpers/wait.ts';
import { testKafkaBrokers } from '../../setup/env.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = path.join(ROOT, 'cli/bin.js');

function cli(
  args: string[],
  cwd: string,
  input?: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'warn' },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    if (input !== undefined) child.stdin!.end(input);
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

const jsonLines = (s: string) =>
  s
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { key: unknown; value: Record<string, unknown> | null });

describe('topic console against Kafka', () => {
  it('the same verbs straight against Kafka with --bootstrap-server', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-kafka-console-'));
    const brokers = testKafkaBrokers().join(',');
    const topic = `console-${randomBytes(4).toString('hex')}`;
    const k = ['--bootstrap-server', brokers];
    const created = await cli(['topics', 'create', topic, '--partitions', '2', ...k], cwd);
    expect(created.status, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: topic, partitions: [{ partition: 0 }, { partition: 1 }] });
    const produced = await cli(
      ['produce', topic, '--key-separator', ':', ...k],
      cwd,
      'k1:{"n":1}\nk2:{"n":2}\nk3:{"n":3}\nk1:{"n":4}\n',
    );
    expect(produced.status, produced.stderr).toBe(0);
    expect(produced.stderr).toBe(`4 record(s) written to ${topic}\n`);
    const listed = await cli(['topics', 'list', ...k], cwd);
    expect(JSON.parse(listed.stdout)).toContainEqual({ name: topic, partitions: 2 });
    const consumed = await cli(
      [
        'consume',
        topic,
        '--value-converter',
        'json',
        '--property',
        'value.converter.schemas.enable=false',
        '--key-converter',
        'string',
        ...k,
      ],
      cwd,
    );
    expect(consumed.status, consumed.stderr).toBe(0);
    const records = jsonLines(consumed.stdout);
    expect(records.map((r) => r.value).sort((x, y) => (x!.n as number) - (y!.n as number))).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
      { n: 4 },
    ]);
    const byKey = records.filter((r) => r.key === 'k1') as unknown as Array<{ partition: number }>;
    expect(new Set(byKey.map((r) => r.partition)).size).toBe(1);
    const deleted = await cli(['topics', 'delete', topic, ...k], cwd);
    expect(deleted.status, deleted.stderr).toBe(0);
    await waitFor(
      async () =>
        !JSON.parse((await cli(['topics', 'list', ...k], cwd)).stdout).some((t: { name: string }) => t.name === topic),
      { timeoutMs: 30_000, what: 'the topic to be deleted' },
    );
  }, 180_000);
});
