/**
 * The chaos suite's machinery: a worker process the scenario can kill and restart, a steady load
 * on a pipeline's source, a fault injected and cleared while the load runs, and an independent
 * checker that compares the source's state with the sink's by event id (lost, duplicated,
 * delivered but never committed). One scenario = one pipeline × one fault, repeated `faults` times.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { killProcess, startWorkerProcess, workerLog } from '../helpers/worker-process.ts';
import { waitFor } from '../helpers/wait.ts';
export { freePort } from '../helpers/free-port.ts';
import { freePort } from '../helpers/free-port.ts';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface ConnectorSpec {
  name: string;
  config: Record<string, string>;
}

/** A standalone worker process in `dir` (worker.properties + one JSON file per connector), on a fixed REST port. */
export class ChaosWorker {
  private child: ChildProcess | null = null;
  starts = 0;

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly connectors: ConnectorSpec[],
  ) {}

  static async create(dir: string, props: Record<string, string>, connectors: ConnectorSpec[]): Promise<ChaosWorker> {
    const port = await freePort();
    const all = {
      listeners: `http://127.0.0.1:${port}`,
      'tributary.log.level': 'warn',
      'offset.flush.interval.ms': '500',
      ...props,
    };
    fs.writeFileSync(
      path.join(dir, 'worker.properties'),
      Object.entries(all)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') + '\n',
    );
    for (const c of connectors) fs.writeFileSync(path.join(dir, `${c.name}.json`), JSON.stringify(c));
    return new ChaosWorker(dir, port, connectors);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and waits until every connector's tasks are RUNNING (`untilRunning: false`: only until REST answers). */
  async start(opts: { untilRunning?: boolean } = {}): Promise<void> {
    this.child = startWorkerProcess(
      this.dir,
      this.connectors.map((c) => `${c.name}.json`),
    );
    this.starts++;
    await waitFor(
      async () => {
        this.assertAlive();
        const states = await this.taskStates();
        return opts.untilRunning === false ? true : this.connectors.every((c) => states[c.name] === 'RUNNING');
      },
      { timeoutMs: 120_000, intervalMs: 200, what: `worker ${this.url} with its connectors running` },
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${workerLog(this.dir).slice(-3000)}`);
    });
  }

  async kill(): Promise<void> {
    if (this.child) await killProcess(this.child);
    this.child = null;
  }

  /** A worker that exited by itself is a finding, not a fault the scenario injected. */
  assertAlive(): void {
    if (this.child && !this.running())
      throw new Error(
        `the worker exited by itself (code ${this.child.exitCode}, signal ${this.child.signalCode}):\n${workerLog(this.dir).slice(-3000)}`,
      );
  }

  async api(method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(this.url + p, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /** Connector name → the state of its first task (or of the connector when it has none). */
  async taskStates(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const c of this.connectors) {
      const s = (await this.api('GET', `/connectors/${c.name}/status`)).body;
      out[c.name] = s?.tasks?.[0]?.state ?? s?.connector?.state ?? 'MISSING';
    }
    return out;
  }
}

/** A pipeline under test: it commits events at its source and reads back what its sink holds. */
export interface Pipeline {
  readonly worker: ChaosWorker;
  /** Commits events with ids from..from+count-1 at the source; throws while the source is unavailable (the load retries the same ids). */
  produce(from: number, count: number): Promise<void>;
  /** Ids of every event committed at the source (read from the source itself). */
  sourceIds(): Promise<number[]>;
  /** Ids of every delivery found at the sink, repeats included; `malformed`: sink entries that are no event at all (torn, merged or corrupt). */
  sinkState(): Promise<{ ids: number[]; malformed: number }>;
  close(): Promise<void>;
}

export interface Fault {
  /** Breaks something; the load keeps running. */
  inject(): Promise<void>;
  /** Repairs it (restart, restore, free space, operator step). Recovery is timed from when this is called. */
  clear(): Promise<void>;
  /** How the fault showed from the outside while it was in effect (task states, traces), for the report. */
  observed?: string[];
}

export interface ScenarioResult {
  scenario: string;
  events: number;
  lost: number;
  duplicated: number;
  /** Delivered ids that were never committed at the source, plus malformed sink entries. */
  unexpected: number;
  faults: number;
  /** Longest time from the start of a fault's repair until the sink held every event committed by then (null: it never did). */
  recoverySeconds: number | null;
  notes: string[];
  /** The scenario could not finish (set up, inject, or check): no figures. */
  error?: string;
}

export interface ScenarioOptions {
  /** At least this many events; the load runs on until every fault is over, so each fault happens under load. */
  events: number;
  batch: number;
  intervalMs: number;
  faults: number;
  holdMs: number;
  /** How long the sink may take to catch up after a fault (and at the end). */
  catchUpMs: number;
  /**
   * The load waits while the sink is more than this many events behind the source (checked every
   * second), so that a pipeline slower than the pace on a busy machine starts each fault with a
   * bounded backlog and recovery measures the repair, not the machine. Unset: no limit.
   */
  maxBacklog?: number;
}

/** Produces events in batches at a steady pace until stopped; a failed batch is retried with the same ids. */
class SteadyLoad {
  next = 1;
  failures = 0;
  /** Seconds the load waited for the sink (maxBacklog). */
  throttledMs = 0;
  private stopped = false;
  private behind = false;
  readonly done: Promise<void>;

  constructor(
    private readonly p: Pipeline,
    private readonly batch: number,
    private readonly intervalMs: number,
    private readonly maxBacklog?: number,
  ) {
    this.done = this.run();
    if (maxBacklog !== undefined) void this.watchBacklog(maxBacklog);
  }

  private async watchBacklog(max: number): Promise<void> {
    while (!this.stopped) {
      try {
        const delivered = new Set((await this.p.sinkState()).ids).size;
        this.behind = this.next - 1 - delivered > max;
      } catch {
        this.behind = false; // the sink cannot be read (its database is the fault): the load goes on
      }
      await sleep(1000);
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.behind) {
        this.throttledMs += 200;
        await sleep(200);
        continue;
      }
      try {
        await this.p.produce(this.next, this.batch);
        this.next += this.batch;
      } catch {
        this.failures++;
      }
      await sleep(this.intervalMs);
    }
  }

  stop(): void {
    this.stopped = true;
  }
}

export function compare(
  source: number[],
  sink: number[],
  malformed: number,
): { events: number; lost: number; duplicated: number; unexpected: number; lostIds: number[] } {
  const committed = new Set(source);
  const seen = new Set<number>();
  let duplicated = 0;
  let unexpected = malformed;
  for (const id of sink) {
    if (seen.has(id)) duplicated++;
    seen.add(id);
    if (!committed.has(id)) unexpected++;
  }
  const lostIds = [...committed].filter((id) => !seen.has(id));
  return { events: committed.size, lost: lostIds.length, duplicated, unexpected, lostIds };
}

async function caughtUp(p: Pipeline, committed: number[]): Promise<boolean> {
  const seen = new Set((await p.sinkState()).ids);
  return committed.every((id) => seen.has(id));
}

/** A sink that delivered nothing new for this long has stopped: what it misses then is lost. */
const IDLE_MS = 60_000;
/** The final wait ends here even while the sink still makes progress. */
const DRAIN_CAP_MS = 900_000;

/**
 * Waits until the sink holds every event in `committed`, for as long as it keeps delivering (so
 * that a sink that is merely behind is not counted as losing events), up to DRAIN_CAP_MS.
 * `lagSeconds`: how long it took when that was more than `boundMs`.
 */
async function drain(
  p: Pipeline,
  committed: number[],
  boundMs: number,
): Promise<{ complete: boolean; lagSeconds: number | null }> {
  const started = Date.now();
  let delivered = -1;
  let progressAt = started;
  for (;;) {
    const ids = (await p.sinkState()).ids;
    const seen = new Set(ids);
    if (committed.every((id) => seen.has(id))) {
      const took = Date.now() - started;
      return { complete: true, lagSeconds: took > boundMs ? took / 1000 : null };
    }
    if (ids.length > delivered) {
      delivered = ids.length;
      progressAt = Date.now();
    }
    if (Date.now() - progressAt > IDLE_MS || Date.now() - started > DRAIN_CAP_MS)
      return { complete: false, lagSeconds: null };
    await sleep(500);
  }
}

/** Runs one scenario: worker up, steady load, `faults` × (inject, hold, clear, time the catch-up), then the checker. */
export async function runScenario(
  name: string,
  p: Pipeline,
  fault: Fault,
  o: ScenarioOptions,
): Promise<ScenarioResult> {
  const notes: string[] = [];
  let recovery: number | null = 0;
  const load = new SteadyLoad(p, o.batch, o.intervalMs, o.maxBacklog);
  try {
    for (let i = 0; i < o.faults; i++) {
      const at = Math.floor((o.events * (i + 1)) / (o.faults + 1));
      await waitFor(() => load.next > at, {
        timeoutMs: 300_000,
        intervalMs: 50,
        what: `the load to reach event ${at}`,
      });
      await fault.inject();
      await sleep(o.holdMs); // the fault's duration, not a wait for a condition
      const cleared = Date.now(); // recovery includes the repair itself (a restart's start-up time)
      await fault.clear();
      const committed = await waitFor(() => p.sourceIds(), { timeoutMs: 60_000, what: 'the source to answer' });
      const ok = await waitFor(() => caughtUp(p, committed), {
        timeoutMs: o.catchUpMs,
        intervalMs: 250,
        what: 'the sink to catch up',
      }).then(
        () => true,
        () => false,
      );
      if (ok && recovery !== null) recovery = Math.max(recovery, (Date.now() - cleared) / 1000);
      if (!ok) {
        recovery = null;
        notes.push(
          `fault ${i + 1}: the sink did not catch up within ${o.catchUpMs / 1000} s; task states ${JSON.stringify(await p.worker.taskStates().catch(() => ({})))}`,
        );
      }
      p.worker.assertAlive();
    }
    await waitFor(() => load.next > o.events, {
      timeoutMs: 300_000,
      intervalMs: 50,
      what: `the load to reach ${o.events} events`,
    });
    load.stop();
    await load.done;
    const final = await p.sourceIds();
    const drained = await drain(p, final, o.catchUpMs);
    if (drained.lagSeconds !== null)
      notes.push(
        `at the end the sink needed ${drained.lagSeconds.toFixed(0)} s (more than ${o.catchUpMs / 1000} s) to hold every event: lag, not loss`,
      );
    if (!drained.complete)
      notes.push(
        `at the end the sink still missed events and delivered nothing for ${IDLE_MS / 1000} s; task states ${JSON.stringify(await p.worker.taskStates().catch(() => ({})))}`,
      );
    p.worker.assertAlive();
    const sink = await p.sinkState();
    const c = compare(final, sink.ids, sink.malformed);
    if (c.lost > 0) notes.push(`lost ids (first 20): ${c.lostIds.slice(0, 20).join(', ')}`);
    if (load.failures > 0) notes.push(`${load.failures} load batches failed while the fault lasted and were retried`);
    if (load.throttledMs > 0)
      notes.push(
        `the load waited ${(load.throttledMs / 1000).toFixed(0)} s in all for the sink to be less than ${o.maxBacklog} events behind`,
      );
    notes.push(...(fault.observed ?? []));
    return {
      scenario: name,
      events: c.events,
      lost: c.lost,
      duplicated: c.duplicated,
      unexpected: c.unexpected,
      faults: o.faults,
      recoverySeconds: recovery,
      notes,
    };
  } finally {
    load.stop();
    await load.done.catch(() => undefined);
  }
}

export function formatTable(results: ScenarioResult[]): string {
  const rows = results.map((r) =>
    r.error !== undefined
      ? `| ${r.scenario} | ${r.faults} | — | — | — | — | did not finish (see notes) |`
      : `| ${r.scenario} | ${r.faults} | ${r.events} | ${r.lost} | ${r.duplicated} | ${r.unexpected} | ${r.recoverySeconds === null ? 'never' : r.recoverySeconds.toFixed(1)} |`,
  );
  return [
    '| scenario | faults | events | lost | duplicated | unexpected | recovery s (max) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}
