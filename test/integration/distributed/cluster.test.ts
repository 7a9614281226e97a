/**
 * Distributed mode against the real broker: three workers in one group share connectors through
 * Kafka's group membership and the compacted internal topics; any worker's REST API answers for
 * any connector; when a worker leaves, its connectors move to the others and resume from the
 * source offsets in the offset topic, losing nothing.
 */
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { startDistributedWorker, type RunningDistributedWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { testKafkaBrokers } from '../../setup/env.ts';
import { waitFor } from '../../helpers/wait.ts';

const workers: RunningDistributedWorker[] = [];
afterAll(async () => {
  await Promise.allSettled(workers.map((w) => w.stop()));
});

async function api(w: RunningDistributedWorker, method: string, p: string, body?: unknown) {
  const res = await fetch(w.url + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const kafka = new Kafka({ brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });

async function topicCount(topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic).catch(() => [])).reduce((n, o) => n + Number(o.high), 0);
  } finally {
    await admin.disconnect();
  }
}

async function topicValues(topic: string): Promise<string[]> {
  const total = await topicCount(topic);
  if (total === 0) return [];
  const consumer = kafka.consumer({ groupId: `check-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const values: string[] = [];
  // The worker's default JsonConverter writes {"schema":…,"payload":"<line>"}.
  await consumer.run({
    eachMessage: async ({ message }) => {
      values.push((JSON.parse(message.value!.toString()) as { payload: string }).payload);
    },
  });
  await waitFor(() => values.length >= total, { timeoutMs: 30_000, what: `${total} records of ${topic}` });
  await consumer.disconnect();
  return values;
}

describe('distributed workers', () => {
  it('share connectors, answer through any worker, and move connectors when a worker leaves', async () => {
    const id = randomUUID().slice(0, 8);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-dist-'));
    const props = {
      'bootstrap.servers': testKafkaBrokers().join(','),
      listeners: 'http://127.0.0.1:0',
      'group.id': `tributary-it-${id}`,
      'config.storage.topic': `it-${id}-configs`,
      'offset.storage.topic': `it-${id}-offsets`,
      'status.storage.topic': `it-${id}-status`,
      'config.storage.replication.factor': '1',
      'offset.storage.replication.factor': '1',
      'status.storage.replication.factor': '1',
      'offset.storage.partitions': '5',
      'status.storage.partitions': '3',
      'session.timeout.ms': '6000',
      'heartbeat.interval.ms': '1000',
      'offset.flush.interval.ms': '200',
      'file.allowed.paths': dir,
      // Reassign a departed worker's work at once (Kafka Connect's default holds it back for 5 minutes).
      'scheduled.rebalance.max.delay.ms': '0',
    };
    for (let i = 0; i < 3; i++) workers.push(await startDistributedWorker(props, { logger: silentLogger }));
    await waitFor(() => workers.every((w) => w.view()?.members.length === 3), {
      timeoutMs: 60_000,
      what: 'three workers in one generation',
    });

    // Six file sources, created through different workers; each writes its own topic.
    const names = Array.from({ length: 6 }, (_x, i) => `src-${id}-${i}`);
    const inputs = new Map<string, string>();
    for (const [i, name] of names.entries()) {
      const file = path.join(dir, `${name}.txt`);
      fs.writeFileSync(file, Array.from({ length: 200 }, (_x, j) => `${name} line ${j}`).join('\n') + '\n');
      inputs.set(name, file);
      const res = await api(workers[i % 3], 'POST', '/connectors', {
        name,
        config: {
          'connector.class': 'FileStreamSource',
          file,
          topic: `it-${id}-${name}`,
          'topic.creation.default.partitions': '1',
          'topic.creation.default.replication.factor': '1',
        },
      });
      expect(res.status).toBe(201);
      expect(res.body.name).toBe(name);
    }
    expect(
      (
        await api(workers[2], 'POST', '/connectors', {
          name: names[0],
          config: { 'connector.class': 'FileStreamSource', topic: 'x' },
        })
      ).status,
    ).toBe(409);

    // Every worker lists all six, and every connector runs on exactly one worker, seen alike from each.
    for (const w of workers)
      expect(((await api(w, 'GET', '/connectors')).body as string[]).sort()).toEqual([...names].sort());
    const ownerIds = new Map<string, string>();
    await waitFor(
      async () => {
        for (const name of names) {
          const seen = await Promise.all(workers.map((w) => api(w, 'GET', `/connectors/${name}/status`)));
          if (
            !seen.every(
              (s) => s.status === 200 && s.body.connector.state === 'RUNNING' && s.body.tasks[0]?.state === 'RUNNING',
            )
          )
            return false;
          if (new Set(seen.map((s) => s.body.connector.worker_id)).size !== 1) return false;
          ownerIds.set(name, seen[0].body.connector.worker_id);
        }
        return true;
      },
      { timeoutMs: 60_000, what: 'all connectors RUNNING, one owner each' },
    );
    expect(new Set(ownerIds.values()).size).toBeGreaterThan(1);
    for (const name of names)
      await waitFor(async () => (await topicCount(`it-${id}-${name}`)) >= 200, {
        timeoutMs: 30_000,
        what: `${name} copied`,
      });

    // Writes through a non-owner are forwarded: pause and resume the first connector via each worker.
    const first = names[0];
    const nonOwner = workers.find((w) => w.self.id !== ownerIds.get(first))!;
    expect((await api(nonOwner, 'PUT', `/connectors/${first}/pause`)).status).toBe(202);
    await waitFor(
      async () => (await api(workers[0], 'GET', `/connectors/${first}/status`)).body.connector.state === 'PAUSED',
      { what: 'paused through a non-owner' },
    );
    expect((await api(nonOwner, 'PUT', `/connectors/${first}/resume`)).status).toBe(202);
    await waitFor(
      async () => (await api(workers[1], 'GET', `/connectors/${first}/status`)).body.connector.state === 'RUNNING',
      { what: 'resumed' },
    );

    // A worker leaves: its connectors move to the two others and continue from their stored offsets.
    const leaving = workers.find((w) => [...ownerIds.values()].includes(w.self.id))!;
    const moved = names.filter((n) => ownerIds.get(n) === leaving.self.id);
    await leaving.stop();
    const rest = workers.filter((w) => w !== leaving);
    await waitFor(() => rest.every((w) => w.view()?.members.length === 2), {
      timeoutMs: 60_000,
      what: 'a two-worker generation',
    });
    for (const name of moved)
      fs.appendFileSync(
        inputs.get(name)!,
        Array.from({ length: 50 }, (_x, j) => `${name} more ${j}`).join('\n') + '\n',
      );
    await waitFor(
      async () => {
        for (const name of moved) {
          const s = await api(rest[0], 'GET', `/connectors/${name}/status`);
          if (s.body.connector.state !== 'RUNNING' || !rest.some((w) => w.self.id === s.body.connector.worker_id))
            return false;
        }
        return true;
      },
      { timeoutMs: 60_000, what: "the departed worker's connectors running elsewhere" },
    );
    for (const name of moved) {
      const want = fs.readFileSync(inputs.get(name)!, 'utf8').split('\n').filter(Boolean);
      await waitFor(async () => (await topicCount(`it-${id}-${name}`)) >= want.length, {
        timeoutMs: 30_000,
        what: `${name} resumed`,
      });
      const got = await topicValues(`it-${id}-${name}`);
      expect(new Set(got)).toEqual(new Set(want));
    }

    // Deleting through any worker removes the connector everywhere.
    expect((await api(rest[1], 'DELETE', `/connectors/${names[5]}`)).status).toBe(204);
    await waitFor(async () => !((await api(rest[0], 'GET', '/connectors')).body as string[]).includes(names[5]), {
      what: 'deleted everywhere',
    });
    expect((await api(rest[0], 'GET', `/connectors/${names[5]}/status`)).status).toBe(404);
  }, 180_000);
});
