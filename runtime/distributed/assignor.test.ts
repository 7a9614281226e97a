import { describe, it, expect } from 'vitest';
import {
  assign,
  emptyWork,
  isStale,
  type AssignorInput,
  type ClusterAssignment,
  type TaskRef,
  type WorkAssignment,
} from './assignor.ts';

const tasks = (connector: string, n: number): TaskRef[] =>
  Array.from({ length: n }, (_x, i) => [connector, i] as TaskRef);
const configured = (spec: Record<string, number>): WorkAssignment => ({
  connectors: Object.keys(spec),
  tasks: Object.entries(spec).flatMap(([c, n]) => tasks(c, n)),
});

/** Runs the follow-up rebalances a real cluster would (members stop what was revoked and rejoin). */
function settle(
  input: Omit<AssignorInput, 'members'> & { members: string[]; running?: Record<string, WorkAssignment> },
): ClusterAssignment {
  let previous = input.previous;
  let running: Record<string, WorkAssignment> = input.running ?? {};
  for (let round = 0; round < 5; round++) {
    const out = assign({
      ...input,
      previous,
      members: input.members.map((worker) => ({ worker, running: running[worker] ?? emptyWork() })),
    });
    previous = out.assignment;
    running = out.assignment.byWorker;
    if (Object.keys(out.assignment.revoked).length === 0) return out.assignment;
  }
  throw new Error('did not settle');
}

const counts = (a: ClusterAssignment) => Object.values(a.byWorker).map((w) => [w.connectors.length, w.tasks.length]);
const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
const allTasks = (a: ClusterAssignment) =>
  Object.values(a.byWorker)
    .flatMap((w) => w.tasks.map((t) => t.join('-')))
    .sort();

describe('assign', () => {
  it('balances connectors and tasks separately over the workers (counts differ by at most one)', () => {
    const a = settle({
      members: ['w1', 'w2', 'w3'],
      previous: null,
      configured: configured({ a: 4, b: 3, c: 1, d: 2 }),
      now: 0,
      maxDelayMs: 0,
    });
    const c = counts(a);
    expect(spread(c.map((x) => x[0]))).toBeLessThanOrEqual(1);
    expect(spread(c.map((x) => x[1]))).toBeLessThanOrEqual(1);
    expect(allTasks(a)).toEqual(['a-0', 'a-1', 'a-2', 'a-3', 'b-0', 'b-1', 'b-2', 'c-0', 'd-0', 'd-1']);
    expect(a.epoch).toBe(1);
  });

  it('is sticky: a new connector moves nothing that runs, and a new worker takes only its share, revoked first', () => {
    const first = settle({
      members: ['w1', 'w2'],
      previous: null,
      configured: configured({ a: 3, b: 3 }),
      now: 0,
      maxDelayMs: 0,
    });
    const more = settle({
      members: ['w1', 'w2'],
      previous: first,
      running: first.byWorker,
      configured: configured({ a: 3, b: 3, c: 2 }),
      now: 0,
      maxDelayMs: 0,
    });
    for (const w of ['w1', 'w2'])
      for (const t of first.byWorker[w].tasks) expect(more.byWorker[w].tasks).toContainEqual(t);

    // A third worker joins: the first round only revokes (nothing runs twice), the second hands over.
    const round1 = assign({
      members: [
        { worker: 'w1', running: more.byWorker.w1 },
        { worker: 'w2', running: more.byWorker.w2 },
        { worker: 'w3', running: emptyWork() },
      ],
      previous: more,
      configured: configured({ a: 3, b: 3, c: 2 }),
      now: 0,
      maxDelayMs: 0,
    });
    const revoked = Object.values(round1.assignment.revoked).flatMap((w) => w.tasks.map((t) => t.join('-')));
    expect(revoked.length).toBeGreaterThan(0);
    for (const w of ['w1', 'w2', 'w3'])
      for (const t of round1.assignment.byWorker[w].tasks) expect(revoked).not.toContain(t.join('-'));
    const round2 = assign({
      members: ['w1', 'w2', 'w3'].map((worker) => ({ worker, running: round1.assignment.byWorker[worker] })),
      previous: round1.assignment,
      configured: configured({ a: 3, b: 3, c: 2 }),
      now: 0,
      maxDelayMs: 0,
    });
    expect(round2.assignment.revoked).toEqual({});
    expect(spread(counts(round2.assignment).map((x) => x[1]))).toBeLessThanOrEqual(1);
    const moved = ['w1', 'w2'].flatMap((w) =>
      more.byWorker[w].tasks.filter((t) => !round2.assignment.byWorker[w].tasks.some((u) => u.join() === t.join())),
    );
    expect(moved.length).toBe(round2.assignment.byWorker.w3.tasks.length); // only what w3 got moved
  });

  it("holds a departed worker's work for scheduled.rebalance.max.delay.ms, gives it back if it returns, else spreads it", () => {
    const conf = configured({ a: 2, b: 2, c: 2 });
    const base = settle({ members: ['w1', 'w2', 'w3'], previous: null, configured: conf, now: 0, maxDelayMs: 3000 });
    const w3 = base.byWorker.w3;
    const gone = assign({
      members: ['w1', 'w2'].map((worker) => ({ worker, running: base.byWorker[worker] })),
      previous: base,
      configured: conf,
      now: 1000,
      maxDelayMs: 3000,
    });
    expect(gone.assignment.lost).toEqual([{ worker: 'w3', ...w3, deadline: 4000 }]);
    expect(gone.delayMs).toBe(3000);
    expect(gone.assignment.byWorker.w1).toEqual(base.byWorker.w1);
    expect(gone.assignment.byWorker.w2).toEqual(base.byWorker.w2);
    expect(isStale(gone.assignment, conf)).toBe(false);

    // Returns before the deadline (a fresh process: it runs nothing) → gets exactly its work back.
    const back = assign({
      members: [
        { worker: 'w1', running: base.byWorker.w1 },
        { worker: 'w2', running: base.byWorker.w2 },
        { worker: 'w3', running: emptyWork() },
      ],
      previous: gone.assignment,
      configured: conf,
      now: 2500,
      maxDelayMs: 3000,
    });
    expect(back.assignment.byWorker.w3).toEqual(w3);
    expect(back.assignment.lost).toEqual([]);
    expect(back.delayMs).toBe(0);

    // A rebalance before the deadline keeps holding it; one at the deadline spreads it over the survivors.
    const still = assign({
      members: ['w1', 'w2'].map((worker) => ({ worker, running: gone.assignment.byWorker[worker] })),
      previous: gone.assignment,
      configured: conf,
      now: 3000,
      maxDelayMs: 3000,
    });
    expect(still.assignment.lost).toHaveLength(1);
    expect(still.delayMs).toBe(1000);
    const due = assign({
      members: ['w1', 'w2'].map((worker) => ({ worker, running: still.assignment.byWorker[worker] })),
      previous: still.assignment,
      configured: conf,
      now: 4000,
      maxDelayMs: 3000,
    });
    expect(due.assignment.lost).toEqual([]);
    expect(allTasks(due.assignment)).toEqual(['a-0', 'a-1', 'b-0', 'b-1', 'c-0', 'c-1']);
    expect(spread(counts(due.assignment).map((x) => x[1]))).toBeLessThanOrEqual(1);
  });

  it("with a zero delay reassigns a departed worker's work at once", () => {
    const conf = configured({ a: 3 });
    const base = settle({ members: ['w1', 'w2', 'w3'], previous: null, configured: conf, now: 0, maxDelayMs: 0 });
    const out = assign({
      members: ['w1', 'w2'].map((worker) => ({ worker, running: base.byWorker[worker] })),
      previous: base,
      configured: conf,
      now: 10,
      maxDelayMs: 0,
    });
    expect(out.assignment.lost).toEqual([]);
    expect(allTasks(out.assignment)).toEqual(['a-0', 'a-1', 'a-2']);
  });

  it('drops deleted work, runs an item claimed twice (a zombie) on one worker only, and notices stale assignments', () => {
    const out = assign({
      members: [
        {
          worker: 'w1',
          running: {
            connectors: ['a', 'gone'],
            tasks: [
              ['a', 0],
              ['gone', 0],
            ],
          },
        },
        { worker: 'w2', running: { connectors: ['a'], tasks: [['a', 0]] } },
      ],
      previous: null,
      configured: configured({ a: 1 }),
      now: 0,
      maxDelayMs: 0,
    });
    expect(allTasks(out.assignment)).toEqual(['a-0']);
    expect(Object.values(out.assignment.byWorker).flatMap((w) => w.connectors)).toEqual(['a']);
    expect(isStale(out.assignment, configured({ a: 1 }))).toBe(false);
    expect(isStale(out.assignment, configured({ a: 2 }))).toBe(true);
    expect(isStale(out.assignment, configured({ a: 1, b: 1 }))).toBe(true);
    expect(isStale(out.assignment, configured({}))).toBe(true);
  });
});

describe('assign with a rejoining zombie', () => {
  it('ignores work a member reports that the previous generation gave to another worker', () => {
    const conf = configured({ a: 1 });
    const prev: ClusterAssignment = {
      epoch: 4,
      byWorker: { w1: { connectors: [], tasks: [] }, w2: { connectors: ['a'], tasks: [['a', 0]] } },
      revoked: {},
      lost: [],
    };
    const out = assign({
      members: [
        { worker: 'w0', running: { connectors: ['a'], tasks: [['a', 0]] } },
        { worker: 'w1', running: emptyWork() },
        { worker: 'w2', running: prev.byWorker.w2 },
      ],
      previous: prev,
      configured: conf,
      now: 0,
      maxDelayMs: 0,
    });
    expect(out.assignment.byWorker.w2).toEqual(prev.byWorker.w2);
    expect(out.assignment.byWorker.w0).toEqual(emptyWork());
    expect(out.assignment.epoch).toBe(5);
  });
});

describe('assign while work is being revoked', () => {
  it('keeps work a member still reports after it was revoked unassigned (and revoked) until the member has stopped it', () => {
    const conf = configured({ a: 4 });
    const two = settle({ members: ['w1'], previous: null, configured: conf, now: 0, maxDelayMs: 0 });
    const r1 = assign({
      members: [
        { worker: 'w1', running: two.byWorker.w1 },
        { worker: 'w2', running: emptyWork() },
      ],
      previous: two,
      configured: conf,
      now: 0,
      maxDelayMs: 0,
    });
    expect(r1.assignment.revoked.w1.tasks).toHaveLength(2);
    // Another rebalance starts before w1 has stopped them: it reports them still running.
    const stillRunning = {
      connectors: r1.assignment.byWorker.w1.connectors,
      tasks: [...r1.assignment.byWorker.w1.tasks, ...r1.assignment.revoked.w1.tasks],
    };
    const r2 = assign({
      members: [
        { worker: 'w1', running: stillRunning },
        { worker: 'w2', running: emptyWork() },
      ],
      previous: r1.assignment,
      configured: conf,
      now: 0,
      maxDelayMs: 0,
    });
    expect(r2.assignment.byWorker.w2.tasks).toEqual([]);
    expect(r2.assignment.revoked.w1.tasks).toEqual(r1.assignment.revoked.w1.tasks);
    expect(isStale(r2.assignment, conf)).toBe(false);
    // Once stopped, they move.
    const r3 = assign({
      members: [
        { worker: 'w1', running: r2.assignment.byWorker.w1 },
        { worker: 'w2', running: emptyWork() },
      ],
      previous: r2.assignment,
      configured: conf,
      now: 0,
      maxDelayMs: 0,
    });
    expect(r3.assignment.byWorker.w2.tasks).toEqual(r1.assignment.revoked.w1.tasks);
    expect(r3.assignment.revoked).toEqual({});
  });
});
