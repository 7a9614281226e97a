/**
 * The group leader's assignment of connectors and tasks to workers, after Kafka Connect's
 * IncrementalCooperativeAssignor: balanced (counts of connectors, and of tasks, differ by at most
 * one between workers), sticky (work stays where it runs unless a worker holds more than its
 * share), cooperative (work that must move is first revoked from its worker; it is handed to
 * another one in the follow-up rebalance the revoking worker asks for once it has stopped it, so
 * nothing ever runs twice), and patient (`scheduled.rebalance.max.delay.ms`: a departed worker's
 * work stays unassigned until the delay has passed, and goes back to it if it returns in time).
 * Pure: the leader feeds it the members' reports, what it remembers, and the configured work.
 */

export type TaskRef = [connector: string, task: number];

export interface WorkAssignment {
  connectors: string[];
  tasks: TaskRef[];
}

/** Work of a departed worker, held for it until `deadline` (epoch ms). */
export interface LostWork extends WorkAssignment {
  worker: string;
  deadline: number;
}

/** The cluster-wide assignment of one generation: what the leader remembers between rebalances. */
export interface ClusterAssignment {
  /** Increases with every assignment; status records carry it as their generation. */
  epoch: number;
  byWorker: Record<string, WorkAssignment>;
  /** Per worker, what it must stop and then rejoin for, so another worker can take it over. */
  revoked: Record<string, WorkAssignment>;
  lost: LostWork[];
}

export interface AssignorInput {
  /** Every member with what it runs now (its assignment of the previous generation, minus what it was told to revoke). */
  members: Array<{ worker: string; running: WorkAssignment }>;
  /** The previous generation's assignment (the leader's memory, or the newest one the members reported). */
  previous: ClusterAssignment | null;
  /** The connectors in the config topic and the tasks of their last committed task configs. */
  configured: WorkAssignment;
  now: number;
  maxDelayMs: number;
}

export interface AssignorOutput {
  assignment: ClusterAssignment;
  /** When a held-back departed worker's work falls due, ms from now (0: nothing held back). */
  delayMs: number;
}

export const emptyWork = (): WorkAssignment => ({ connectors: [], tasks: [] });

export const taskKey = (t: TaskRef): string => JSON.stringify(t);
const parseTask = (k: string): TaskRef => JSON.parse(k) as TaskRef;

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const compareTasks = (a: string, b: string) => {
  const [ca, ta] = parseTask(a);
  const [cb, tb] = parseTask(b);
  return byString(ca, cb) || ta - tb;
};

interface Kind {
  keysOf(w: WorkAssignment): string[];
  compare(a: string, b: string): number;
}
const CONNECTORS: Kind = { keysOf: (w) => w.connectors, compare: byString };
const TASKS: Kind = { keysOf: (w) => w.tasks.map(taskKey), compare: compareTasks };

/**
 * Balances one kind of work (connectors or tasks). `held` is what each worker keeps (its running
 * work, deduplicated, plus lost work handed back); `free` is unassigned work; `stopping` counts
 * revoked work not yet stopped. Returns per worker
 * what it ends up with and what it must revoke.
 */
function balance(
  workers: string[],
  held: Map<string, string[]>,
  free: string[],
  stopping: number,
  compare: (a: string, b: string) => number,
): { result: Map<string, string[]>; revoked: Map<string, string[]> } {
  // Work still stopping on a worker counts: it is handed out at the next rebalance.
  const total = free.length + stopping + workers.reduce((n, w) => n + held.get(w)!.length, 0);
  const result = new Map<string, string[]>();
  const revoked = new Map<string, string[]>();
  if (workers.length === 0) return { result, revoked };
  const floor = Math.floor(total / workers.length);
  let ceilSlots = total % workers.length;
  // The workers that hold the most keep the larger shares, so the fewest items move.
  const byLoad = [...workers].sort((a, b) => held.get(b)!.length - held.get(a)!.length || byString(a, b));
  const quota = new Map<string, number>();
  for (const w of byLoad) {
    const q = floor + (ceilSlots > 0 ? 1 : 0);
    if (ceilSlots > 0) ceilSlots--;
    quota.set(w, q);
    const items = [...held.get(w)!].sort(compare);
    result.set(w, items.slice(0, q));
    revoked.set(w, items.slice(q));
  }
  const pending = [...free].sort(compare);
  for (const item of pending) {
    const open = workers
      .filter((w) => result.get(w)!.length < quota.get(w)!)
      .sort((a, b) => result.get(a)!.length - result.get(b)!.length || byString(a, b));
    if (open.length === 0) break;
    result.get(open[0])!.push(item);
  }
  for (const w of workers) result.get(w)!.sort(compare);
  return { result, revoked };
}

export function assign(input: AssignorInput): AssignorOutput {
  const configuredConnectors = new Set(input.configured.connectors);
  const configuredTasks = new Set(input.configured.tasks.map(taskKey));
  const workers = [...new Set(input.members.map((m) => m.worker))].sort(byString);
  const present = new Set(workers);

  // What each member keeps running: configured work, each item on one worker only.
  const claimed = { connectors: new Set<string>(), tasks: new Set<string>() };
  const held = { connectors: new Map<string, string[]>(), tasks: new Map<string, string[]>() };
  for (const w of workers) {
    held.connectors.set(w, []);
    held.tasks.set(w, []);
  }
  // A member's claim counts only if the previous generation gave it the item: a worker that was
  // evicted (frozen, cut off) and rejoins may still report work that has moved on since.
  // Work a member was told to revoke and still reports is still stopping there: it stays
  // unassigned (and revoked) until the member reports it stopped.
  const prev = input.previous?.byWorker;
  const prevRevoked = input.previous?.revoked ?? {};
  const grantedConnectors = (w: string) => (prev ? new Set(prev[w]?.connectors ?? []) : null);
  const grantedTasks = (w: string) => (prev ? new Set((prev[w]?.tasks ?? []).map(taskKey)) : null);
  const stopping = new Map<string, { connectors: string[]; tasks: string[] }>();
  for (const m of [...input.members].sort((a, b) => byString(a.worker, b.worker))) {
    const gc = grantedConnectors(m.worker);
    const gt = grantedTasks(m.worker);
    const rc = new Set(prevRevoked[m.worker]?.connectors ?? []);
    const rt = new Set((prevRevoked[m.worker]?.tasks ?? []).map(taskKey));
    const stop = { connectors: [] as string[], tasks: [] as string[] };
    stopping.set(m.worker, stop);
    for (const c of m.running.connectors) {
      if (!configuredConnectors.has(c) || claimed.connectors.has(c)) continue;
      if (rc.has(c)) {
        claimed.connectors.add(c);
        stop.connectors.push(c);
        continue;
      }
      if (gc && !gc.has(c)) continue;
      claimed.connectors.add(c);
      held.connectors.get(m.worker)!.push(c);
    }
    for (const t of m.running.tasks.map(taskKey)) {
      if (!configuredTasks.has(t) || claimed.tasks.has(t)) continue;
      if (rt.has(t)) {
        claimed.tasks.add(t);
        stop.tasks.push(t);
        continue;
      }
      if (gt && !gt.has(t)) continue;
      claimed.tasks.add(t);
      held.tasks.get(m.worker)!.push(t);
    }
  }

  // Work of workers that left since the previous generation, plus work already held back.
  const lostCandidates: LostWork[] = [];
  if (input.previous) {
    for (const l of input.previous.lost) lostCandidates.push(l);
    for (const [worker, work] of Object.entries(input.previous.byWorker)) {
      if (present.has(worker) || lostCandidates.some((l) => l.worker === worker)) continue;
      lostCandidates.push({
        worker,
        connectors: work.connectors,
        tasks: work.tasks,
        deadline: input.now + input.maxDelayMs,
      });
    }
  }
  const lost: LostWork[] = [];
  for (const l of lostCandidates) {
    const connectors = l.connectors.filter((c) => configuredConnectors.has(c) && !claimed.connectors.has(c));
    const tasks = l.tasks.map(taskKey).filter((t) => configuredTasks.has(t) && !claimed.tasks.has(t));
    if (connectors.length === 0 && tasks.length === 0) continue;
    if (present.has(l.worker)) {
      // The worker came back within the delay: it gets its work back.
      for (const c of connectors) {
        claimed.connectors.add(c);
        held.connectors.get(l.worker)!.push(c);
      }
      for (const t of tasks) {
        claimed.tasks.add(t);
        held.tasks.get(l.worker)!.push(t);
      }
      continue;
    }
    if (input.maxDelayMs <= 0 || l.deadline <= input.now) continue; // falls due: reassigned below
    for (const c of connectors) claimed.connectors.add(c);
    for (const t of tasks) claimed.tasks.add(t);
    lost.push({ worker: l.worker, connectors, tasks: tasks.map(parseTask), deadline: l.deadline });
  }

  const freeConnectors = input.configured.connectors.filter((c) => !claimed.connectors.has(c));
  const freeTasks = [...configuredTasks].filter((t) => !claimed.tasks.has(t));
  const stoppingCount = (kind: 'connectors' | 'tasks') =>
    [...stopping.values()].reduce((n, s) => n + s[kind].length, 0);
  const c = balance(workers, held.connectors, freeConnectors, stoppingCount('connectors'), CONNECTORS.compare);
  const t = balance(workers, held.tasks, freeTasks, stoppingCount('tasks'), TASKS.compare);

  const byWorker: Record<string, WorkAssignment> = {};
  const revoked: Record<string, WorkAssignment> = {};
  for (const w of workers) {
    byWorker[w] = { connectors: c.result.get(w)!, tasks: t.result.get(w)!.map(parseTask) };
    const rc = [...c.revoked.get(w)!, ...stopping.get(w)!.connectors].sort(CONNECTORS.compare);
    const rt = [...t.revoked.get(w)!, ...stopping.get(w)!.tasks].sort(TASKS.compare);
    if (rc.length || rt.length) revoked[w] = { connectors: rc, tasks: rt.map(parseTask) };
  }
  const nextDue = lost.reduce((min, l) => Math.min(min, l.deadline), Number.POSITIVE_INFINITY);
  return {
    assignment: { epoch: (input.previous?.epoch ?? 0) + 1, byWorker, revoked, lost },
    delayMs: Number.isFinite(nextDue) ? Math.max(1, nextDue - input.now) : 0,
  };
}

/**
 * Whether the configured work differs from what an assignment covers (run, being revoked, or held
 * back): the leader then rebalances. Work being revoked moves at the rebalance its worker asks for.
 */
export function isStale(assignment: ClusterAssignment, configured: WorkAssignment): boolean {
  const covered = { connectors: new Set<string>(), tasks: new Set<string>() };
  for (const w of [...Object.values(assignment.byWorker), ...Object.values(assignment.revoked), ...assignment.lost]) {
    for (const c of w.connectors) covered.connectors.add(c);
    for (const t of w.tasks) covered.tasks.add(taskKey(t));
  }
  const want = { connectors: new Set(configured.connectors), tasks: new Set(configured.tasks.map(taskKey)) };
  const same = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));
  return !same(covered.connectors, want.connectors) || !same(covered.tasks, want.tasks);
}

/** Kafka Connect's `<connector>-<task>` names, for logs. */
export function describeWork(w: WorkAssignment): { connectors: string[]; tasks: string[] } {
  return { connectors: w.connectors, tasks: w.tasks.map(([c, i]) => `${c}-${i}`) };
}
