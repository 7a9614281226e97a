/**
 * A distributed worker killed with SIGKILL under load: three worker processes share a file source
 * → Kafka → file sink pipeline; the one running the source is killed mid-run (no LeaveGroup, so
 * the group notices only when its session times out). Its connectors resume on the survivors and
 * the sink ends up with every line; duplicates are allowed (at-least-once), losses are not.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { fileURLToPath } from 'node:url';
import { testKafkaBrokers } from '../../setup/env.ts';
import { waitFor } from '../../helpers/wait.ts';
import { readCommittedValues } from '../../helpers/java-consumer.ts';
import { freePort } from '../../helpers/free-port.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SESSION_TIMEOUT_MS = 6000;
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

async function api(port: number, method: string, p: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}${p}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function startCluster(
  id: string,
  dir: string,
  extra: string[] = [],
): Promise<{ ports: number[]; procs: Map<number, ChildProcess> }> {
  const ports = [await freePort(), await freePort(), await freePort()];
  const procs = new Map<number, ChildProcess>();
  for (const port of ports) {
    const file = path.join(dir, `worker-${port}.properties`);
    fs.writeFileSync(
      file,
      [
        `bootstrap.servers=${testKafkaBrokers().join(',')}`,
        `listeners=http://127.0.0.1:${port}`,
        `group.id=tributary-kill-${id}`,
        `config.storage.topic=kill-${id}-configs`,
        `offset.storage.topic=kill-${id}-offsets`,
        `status.storage.topic=kill-${id}-status`,
        'config.storage.replication.factor=1',
        'offset.storage.replication.factor=1',
        'status.storage.replication.factor=1',
        'offset.storage.partitions=3',
        'status.storage.partitions=3',
        `session.timeout.ms=${SESSION_TIMEOUT_MS}`,
        'heartbeat.interval.ms=1000',
        'scheduled.rebalance.max.delay.ms=0',
        'offset.flush.interval.ms=200',
        'tributary.log.level=warn',
        `file.allowed.paths=${dir}`,
        ...extra,
        '',
      ].join('\n'),
    );
    const child = spawn(process.execPath, [path.join(ROOT, 'cli/bin.js'), 'distributed', file], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (d) => fs.appendFileSync(path.join(dir, `worker-${port}.log`), d));
    children.push(child);
    procs.set(port, child);
  }
  await waitFor(
    async () => {
      for (const port of ports)
        if ((await api(port, 'GET', '/health').catch(() => ({ status: 0 }))).status !== 200) return false;
      return true;
    },
    { timeoutMs: 90_000, what: 'three workers up' },
  );
  return { ports, procs };
}

describe('distributed workers under SIGKILL', () => {
  it("resume a killed worker's connectors on the others within the session timeout and lose no record", async () => {
    const id = randomUUID().slice(0, 8);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-kill-'));
    const { ports, procs } = await startCluster(id, dir);
    const input = path.join(dir, 'in.txt');
    const output = path.join(dir, 'out.txt');
    const topic = `kill-${id}-lines`;
    let written = 0;
    const append = (n: number) => {
      fs.appendFileSync(input, Array.from({ length: n }, () => `line ${written++}`).join('\n') + '\n');
    };
    append(2000);
    const create = async (body: unknown) => {
      // Right after startup the group may still be settling (409); Kafka Connect clients retry too.
      await waitFor(async () => (await api(ports[0], 'POST', '/connectors', body)).status === 201, {
        timeoutMs: 60_000,
        what: 'connector created',
      });
    };
    await create({
      name: `source-${id}`,
      config: {
        'connector.class': 'FileStreamSource',
        file: input,
        topic,
        'batch.size': '100',
        'topic.creation.default.partitions': '2',
        'topic.creation.default.replication.factor': '1',
      },
    });
    await waitFor(
      async () =>
        (await api(ports[1], 'GET', `/connectors/source-${id}/topics`)).body?.[`source-${id}`]?.topics.includes(topic),
      { timeoutMs: 60_000, what: 'source topic' },
    );
    await create({ name: `sink-${id}`, config: { 'connector.class': 'FileStreamSink', file: output, topics: topic } });

    const outputLines = () =>
      fs.existsSync(output) ? fs.readFileSync(output, 'utf8').split('\n').filter(Boolean) : [];
    await waitFor(() => outputLines().length >= 1000, { timeoutMs: 60_000, what: 'the pipeline running' });
    // The victim is the worker running the source task (its connector may run elsewhere).
    const status = (await api(ports[2], 'GET', `/connectors/source-${id}/status`)).body as {
      tasks: Array<{ worker_id: string }>;
    };
    const victimPort = Number(status.tasks[0].worker_id.split(':').pop());
    expect(ports).toContain(victimPort);

    // Keep writing while the source's worker dies.
    const feeder = setInterval(() => append(100), 50);
    await new Promise((r) => setTimeout(r, 300));
    const killedAt = Date.now();
    procs.get(victimPort)!.kill('SIGKILL');
    const survivors = ports.filter((p) => p !== victimPort);
    await new Promise((r) => setTimeout(r, 1000));
    clearInterval(feeder);
    append(500);

    await waitFor(
      async () => {
        const s = (await api(survivors[0], 'GET', `/connectors/source-${id}/status`)).body as {
          connector: { state: string; worker_id: string };
          tasks: Array<{ state: string; worker_id: string }>;
        };
        return (
          s.connector.state === 'RUNNING' &&
          s.tasks[0]?.state === 'RUNNING' &&
          [s.connector.worker_id, s.tasks[0].worker_id].every((w) => survivors.includes(Number(w.split(':').pop())))
        );
      },
      { timeoutMs: 60_000, what: 'the source running on a survivor' },
    );
    const movedAfterMs = Date.now() - killedAt;
    expect(movedAfterMs).toBeLessThan(SESSION_TIMEOUT_MS + 30_000);

    const want = new Set(Array.from({ length: written }, (_x, i) => `line ${i}`));
    await waitFor(() => new Set(outputLines()).size === want.size, {
      timeoutMs: 60_000,
      what: `all ${written} lines in the sink`,
    });
    const got = outputLines();
    expect(new Set(got)).toEqual(want);
    process.stderr.write(
      `distributed kill test: ${written} lines, ${got.length - want.size} duplicates, source moved after ${movedAfterMs} ms\n`,
    );
  });

  it('with exactly.once.source.support=enabled, a source task taken over from a frozen worker leaves neither gaps nor duplicates, and the zombie is fenced', async () => {
    const id = randomUUID().slice(0, 8);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-eos-'));
    const { ports, procs } = await startCluster(id, dir, ['exactly.once.source.support=enabled']);
    const input = path.join(dir, 'in.txt');
    const topic = `eos-${id}-lines`;
    let written = 0;
    const append = (n: number) =>
      fs.appendFileSync(input, Array.from({ length: n }, () => `line ${written++}`).join('\n') + '\n');
    append(2000);
    const config = {
      'connector.class': 'FileStreamSource',
      file: input,
      topic,
      'batch.size': '50',
      'exactly.once.support': 'required',
      'topic.creation.default.partitions': '1',
      'topic.creation.default.replication.factor': '1',
    };
    const refused = await api(ports[0], 'PUT', '/connector-plugins/FileStreamSource/config/validate', {
      ...config,
      name: 'x',
      'transaction.boundary': 'connector',
    });
    expect(
      refused.body.configs.find((c: { value: { name: string } }) => c.value.name === 'transaction.boundary').value
        .errors[0],
    ).toMatch(/does not support connector-defined transaction boundaries/);
    await waitFor(
      async () => (await api(ports[0], 'POST', '/connectors', { name: `eos-${id}`, config })).status === 201,
      { timeoutMs: 60_000, what: 'connector created' },
    );

    const kafka = new Kafka({ brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
    const values: string[] = [];
    const consumer = kafka.consumer({ groupId: `eos-check-${id}`, readUncommitted: false });
    await waitFor(
      async () =>
        (await api(ports[1], 'GET', `/connectors/eos-${id}/topics`)).body?.[`eos-${id}`]?.topics.includes(topic),
      { timeoutMs: 60_000, what: 'the topic written' },
    );
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        values.push((JSON.parse(message.value!.toString()) as { payload: string }).payload);
      },
    });
    await waitFor(() => values.length >= 500, { timeoutMs: 60_000, what: 'the first records committed' });

    // The worker running the source task (the one with the open transactions).
    const owner = Number(
      (
        (await api(ports[2], 'GET', `/connectors/eos-${id}/status`)).body as { tasks: Array<{ worker_id: string }> }
      ).tasks[0].worker_id
        .split(':')
        .pop(),
    );
    const feeder = setInterval(() => append(100), 50);
    await new Promise((r) => setTimeout(r, 300));
    // SIGSTOP makes the owner a zombie: it misses its heartbeats, the others take its connector
    // over, and when it wakes up (SIGCONT) with an open transaction it must be fenced.
    procs.get(owner)!.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, 1000));
    clearInterval(feeder);
    append(500);
    const survivors = ports.filter((p) => p !== owner);
    await waitFor(
      async () => {
        const st = (await api(survivors[0], 'GET', `/connectors/eos-${id}/status`)).body as {
          tasks: Array<{ state: string; worker_id: string }>;
        };
        return (
          st.tasks[0] !== undefined &&
          survivors.includes(Number(st.tasks[0].worker_id.split(':').pop())) &&
          st.tasks[0].state === 'RUNNING'
        );
      },
      { timeoutMs: 60_000, what: 'the connector taken over by a survivor' },
    );
    procs.get(owner)!.kill('SIGCONT');
    append(300);
    await waitFor(() => values.length >= written, {
      timeoutMs: 90_000,
      what: `all ${written} lines committed after the takeover`,
    });
    await new Promise((r) => setTimeout(r, 3000)); // room for the zombie to (fail to) write
    await new Promise((r) => setTimeout(r, 1000));
    await consumer.disconnect();
    // The assertion uses Kafka's Java consumer with isolation.level=read_committed as the reference.
    const committed = readCommittedValues(testKafkaBrokers(), topic).map(
      (v) => (JSON.parse(v) as { payload: string }).payload,
    );
    expect(committed.length).toBe(written);
    expect(committed).toEqual(Array.from({ length: written }, (_x, i) => `line ${i}`));
  }, 180_000);
});
