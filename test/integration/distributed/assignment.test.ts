/**
 * Placement of connectors and tasks by the group leader, against the real broker: tasks of one
 * connector spread over the workers (balanced), their configs go through the config topic in
 * Kafka Connect's format, and scheduled.rebalance.max.delay.ms holds a departed worker's work back
 * — giving it back when the worker returns in time, spreading it over the others once the delay
 * has passed. The departing worker is the group leader, so the new leader must rebuild the
 * previous assignment from what the members report. A worker joining a loaded cluster takes over
 * its share in two steps (revoke, then assign), moving nothing else.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { startDistributedWorker, type RunningDistributedWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { testKafkaBrokers } from '../../setup/env.ts';
import { testPlugins } from '../../helpers/test-plugins.ts';
import { waitFor } from '../../helpers/wait.ts';

const DELAY_MS = 15_000;
const started: RunningDistributedWorker[] = [];
afterAll(async () => {
  await Promise.allSettled(started.map((w) => w.stop()));
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

/** Every `key → value` of a topic, in order. */
async function topicRecords(topic: string): Promise<Array<{ key: string; value: string | null }>> {
  const kafka = new Kafka({ brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const total = (await admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high), 0);
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `check-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const out: Array<{ key: string; value: string | null; offset: number }> = [];
  await consumer.run({
    eachMessage: async ({ message }) => {
      out.push({
        key: message.key!.toString(),
        value: message.value?.toString() ?? null,
        offset: Number(message.offset),
      });
    },
  });
  await waitFor(() => out.length > 0 && out[out.length - 1].offset >= total - 1, { what: `the records of ${topic}` });
  await consumer.disconnect();
  return out.map(({ key, value }) => ({ key, value }));
}

describe('leader-computed assignment', () => {
  it("spreads tasks over the workers, holds a departed leader's work for the delay, gives it back on return, reassigns it after, rebalances for a new worker", async () => {
    const id = randomUUID().slice(0, 8);
    const props = (listeners = 'http://127.0.0.1:0') => ({
      'bootstrap.servers': testKafkaBrokers().join(','),
      listeners,
      'group.id': `tributary-assign-${id}`,
      'config.storage.topic': `assign-${id}-configs`,
      'offset.storage.topic': `assign-${id}-offsets`,
      'status.storage.topic': `assign-${id}-status`,
      'config.storage.replication.factor': '1',
      'offset.storage.replication.factor': '1',
      'status.storage.replication.factor': '1',
      'offset.storage.partitions': '3',
      'status.storage.partitions': '3',
      'session.timeout.ms': '6000',
      'heartbeat.interval.ms': '1000',
      'offset.flush.interval.ms': '200',
      'scheduled.rebalance.max.delay.ms': String(DELAY_MS),
    });
    for (let i = 0; i < 3; i++)
      started.push(await startDistributedWorker(props(), { plugins: testPlugins, logger: silentLogger }));
    const workers = [...started];
    await waitFor(() => workers.every((w) => w.view()?.members.length === 3), {
      timeoutMs: 60_000,
      what: 'three workers in one generation',
    });

    // One connector with six tasks and two with one: the tasks spread over all the workers.
    const big = `big-${id}`;
    const smalls = [`a-${id}`, `b-${id}`];
    const create = async (name: string, tasks: number) => {
      const res = await api(workers[1], 'POST', '/connectors', {
        name,
        config: {
          'connector.class': 'test.CounterSourceConnector',
          topic: `assign-${id}-${name}`,
          'tasks.max': String(tasks),
        },
      });
      expect(res.status).toBe(201);
    };
    await create(big, 6);
    for (const s of smalls) await create(s, 1);
    const allRunning = async (w: RunningDistributedWorker, where: (workerId: string) => boolean) => {
      for (const [name, n] of [
        [big, 6],
        [smalls[0], 1],
        [smalls[1], 1],
      ] as const) {
        const s = (await api(w, 'GET', `/connectors/${name}/status`)).body;
        if (s?.connector?.state !== 'RUNNING' || !where(s.connector.worker_id) || s.tasks.length !== n) return false;
        if (!s.tasks.every((t: { state: string; worker_id: string }) => t.state === 'RUNNING' && where(t.worker_id)))
          return false;
      }
      return true;
    };
    await waitFor(() => allRunning(workers[2], () => true), {
      timeoutMs: 60_000,
      what: 'every connector and task RUNNING',
    });
    const bigStatus = (await api(workers[0], 'GET', `/connectors/${big}/status`)).body as {
      tasks: Array<{ worker_id: string }>;
    };
    const perWorker = new Map<string, number>();
    for (const t of bigStatus.tasks) perWorker.set(t.worker_id, (perWorker.get(t.worker_id) ?? 0) + 1);
    expect(perWorker.size).toBe(3);
    const view = workers[0].view()!;
    for (const w of workers) expect(view.assignment.byWorker[w.self.id].connectors).toHaveLength(1);
    const taskCounts = workers.map((w) => view.assignment.byWorker[w.self.id].tasks.length).sort();
    expect(taskCounts).toEqual([2, 3, 3]);

    // The task configs went through the config topic as Kafka Connect writes them: the tasks, then the commit.
    const records = (await topicRecords(`assign-${id}-configs`)).filter((r) => r.key.includes(big));
    const keys = records.map((r) => r.key);
    const commitAt = keys.indexOf(`commit-${big}`);
    expect(commitAt).toBeGreaterThan(0);
    expect(keys.slice(commitAt - 6, commitAt)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `task-${big}-${i}`));
    expect(JSON.parse(records[commitAt].value!)).toEqual({ tasks: 6 });
    expect(JSON.parse(records[commitAt - 1].value!)).toEqual({
      properties: expect.objectContaining({
        topic: `assign-${id}-${big}`,
        'connector.class': 'test.CounterSourceConnector',
      }),
    });

    // The leader leaves: a survivor becomes leader and holds its work back for the delay.
    const leader = workers.find((w) => w.self.id === view.leaderId)!;
    const survivors = workers.filter((w) => w !== leader);
    const leaderWork = view.assignment.byWorker[leader.self.id];
    expect(leaderWork.tasks.length).toBeGreaterThan(0);
    const leaderPort = new URL(leader.url).port;
    await leader.stop();
    const held = await waitFor(
      () => {
        const v = survivors[0].view();
        return v && v.members.length === 2 && v.generation > view.generation ? v : null;
      },
      { timeoutMs: 60_000, what: 'a two-worker generation' },
    );
    expect(held.assignment.lost).toEqual([
      expect.objectContaining({ worker: leader.self.id, connectors: leaderWork.connectors, tasks: leaderWork.tasks }),
    ]);
    for (const s of survivors) expect(held.assignment.byWorker[s.self.id]).toEqual(view.assignment.byWorker[s.self.id]);
    expect(held.delayMs).toBeGreaterThan(0);
    // Meanwhile its tasks show as UNASSIGNED (it said so when it stopped), as in Kafka Connect.
    const heldTasks = (await api(survivors[1], 'GET', `/connectors/${big}/status`)).body.tasks.filter(
      (t: { id: number }) => leaderWork.tasks.some(([c, i]) => c === big && i === t.id),
    );
    expect(heldTasks.length).toBeGreaterThan(0);
    for (const t of heldTasks) expect(t).toMatchObject({ state: 'UNASSIGNED', worker_id: leader.self.id });

    // It comes back (same host:port) within the delay: it gets exactly its work back.
    const back = await startDistributedWorker(props(`http://127.0.0.1:${leaderPort}`), {
      plugins: testPlugins,
      logger: silentLogger,
    });
    started.push(back);
    expect(back.self.id).toBe(leader.self.id);
    const returned = await waitFor(
      () => {
        const v = back.view();
        return v && v.members.length === 3 && v.assignment.lost.length === 0 ? v : null;
      },
      { timeoutMs: 60_000, what: 'the returning worker in a three-worker generation' },
    );
    expect(returned.assignment.byWorker[back.self.id]).toEqual(leaderWork);
    await waitFor(() => allRunning(survivors[0], () => true), { timeoutMs: 60_000, what: 'everything RUNNING again' });
    const backOwned = (await api(survivors[1], 'GET', `/connectors/${big}/status`)).body.tasks.filter(
      (t: { worker_id: string }) => t.worker_id === back.self.id,
    ).length;
    expect(backOwned).toBe(leaderWork.tasks.filter(([c]) => c === big).length);

    // It leaves again and stays away: once the delay has passed its work goes to the others.
    const before = back.view()!;
    await back.stop();
    const heldAgain = await waitFor(
      () => {
        const v = survivors[0].view();
        return v && v.members.length === 2 && v.generation > before.generation ? v : null;
      },
      { timeoutMs: 60_000, what: 'a two-worker generation again' },
    );
    expect(heldAgain.assignment.lost.map((l) => l.worker)).toEqual([back.self.id]);
    const spread = await waitFor(
      () => {
        const v = survivors[0].view();
        return v && v.assignment.lost.length === 0 && v.generation > heldAgain.generation ? v : null;
      },
      { timeoutMs: DELAY_MS + 60_000, what: 'the held-back work reassigned after the delay' },
    );
    const counts = survivors.map((s) => spread.assignment.byWorker[s.self.id].tasks.length).sort();
    expect(counts).toEqual([4, 4]);
    const survivorIds = new Set(survivors.map((s) => s.self.id));
    await waitFor(() => allRunning(survivors[1], (w) => survivorIds.has(w)), {
      timeoutMs: 60_000,
      what: 'everything RUNNING on the two survivors',
    });

    // A new worker joins the loaded cluster: the others revoke just its share, then it takes it over.
    const fresh = await startDistributedWorker(props(), { plugins: testPlugins, logger: silentLogger });
    started.push(fresh);
    const rebalanced = await waitFor(
      () => {
        const v = fresh.view();
        return v &&
          v.members.length === 3 &&
          Object.keys(v.assignment.revoked).length === 0 &&
          (v.assignment.byWorker[fresh.self.id]?.tasks.length ?? 0) > 0
          ? v
          : null;
      },
      { timeoutMs: 60_000, what: 'the new worker given its share' },
    );
    expect([...survivors, fresh].map((w) => rebalanced.assignment.byWorker[w.self.id].tasks.length).sort()).toEqual([
      2, 3, 3,
    ]);
    for (const s of survivors) {
      for (const t of rebalanced.assignment.byWorker[s.self.id].tasks)
        expect(spread.assignment.byWorker[s.self.id].tasks).toContainEqual(t); // nothing else moved
    }
    await waitFor(
      async () => {
        const s = (await api(fresh, 'GET', `/connectors/${big}/status`)).body as {
          tasks: Array<{ state: string; worker_id: string }>;
        };
        return (
          s.tasks.length === 6 &&
          s.tasks.every((t) => t.state === 'RUNNING') &&
          s.tasks.some((t) => t.worker_id === fresh.self.id)
        );
      },
      { timeoutMs: 60_000, what: 'tasks RUNNING on the new worker' },
    );

    // Kafka Connect's rebalance metrics (connect-worker-rebalance-metrics) counted the rebalances a survivor went through.
    const metrics = await (await fetch(`${survivors[0].url}/metrics`)).text();
    const sample = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);
    expect(sample('kafka_connect_connect_worker_rebalance_metrics_completed_rebalances_total')).toBeGreaterThanOrEqual(
      3,
    );
    expect(sample('kafka_connect_connect_worker_rebalance_metrics_epoch')).toBe(survivors[0].view()!.generation);
    expect(sample('kafka_connect_connect_worker_rebalance_metrics_time_since_last_rebalance_ms')).toBeLessThan(240_000);
    expect(sample('kafka_connect_connect_worker_rebalance_metrics_rebalance_max_time_ms')).toBeGreaterThanOrEqual(0);
  }, 240_000);
});
