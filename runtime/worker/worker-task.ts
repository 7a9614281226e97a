/**
 * What source and sink task runners share: state (UNASSIGNED → RUNNING ⇄ PAUSED → FAILED),
 * the pause gate, an abort signal for stop, and a graceful stop with a timeout.
 */
import { traceOf } from '../errors.ts';
import type { Logger } from '../logging.ts';
import type { ConnectorStateName, TaskId } from './task-state.ts';

export type TaskStateListener = (id: TaskId, state: ConnectorStateName, trace?: string) => void;

export abstract class WorkerTask {
  state: ConnectorStateName = 'UNASSIGNED';
  trace: string | undefined;
  protected readonly abort = new AbortController();
  private paused = false;
  private resumeWaiters: Array<() => void> = [];
  private done: Promise<void> | undefined;

  constructor(
    readonly id: TaskId,
    protected readonly logger: Logger,
    private readonly listener: TaskStateListener,
  ) {}

  get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  /** Starts the task's loop in the background. `initiallyPaused` starts it PAUSED. */
  start(initiallyPaused = false): void {
    this.paused = initiallyPaused;
    this.done = this.runGuarded();
  }

  private async runGuarded(): Promise<void> {
    try {
      await this.initializeAndStart();
      this.setState(this.paused ? 'PAUSED' : 'RUNNING');
      await this.execute();
    } catch (err) {
      if (this.stopping && isAbort(err)) return;
      this.logger.error({ err: (err as Error).message, task: `${this.id.connector}-${this.id.task}` }, 'Task threw an uncaught and unrecoverable exception. Task is being killed and will not recover until manually restarted');
      this.trace = traceOf(err);
      this.setState('FAILED', this.trace);
    } finally {
      try {
        await this.close();
      } catch (err) {
        this.logger.warn({ err: (err as Error).message }, 'Error while closing task');
      }
    }
  }

  protected setState(state: ConnectorStateName, trace?: string): void {
    this.state = state;
    this.trace = trace;
    this.listener(this.id, state, trace);
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    if (this.state === 'RUNNING') this.setState('PAUSED');
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.state === 'PAUSED') this.setState('RUNNING');
    const w = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const fn of w) fn();
  }

  /** Resolves when not paused (or when stopping). */
  protected async awaitUnpaused(): Promise<void> {
    while (this.paused && !this.stopping) {
      await new Promise<void>((resolve) => {
        this.resumeWaiters.push(resolve);
        this.abort.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }

  protected get isPaused(): boolean {
    return this.paused;
  }

  /** Signals the loop to stop and waits up to `timeoutMs` for it to finish flushing. */
  async stop(timeoutMs: number): Promise<boolean> {
    this.abort.abort();
    const w = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const fn of w) fn();
    if (!this.done) return true;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      this.done.then(() => true),
      new Promise<boolean>((r) => { timer = setTimeout(() => r(false), timeoutMs); }),
    ]);
    clearTimeout(timer);
    if (!finished) this.logger.warn({ task: `${this.id.connector}-${this.id.task}`, timeoutMs }, 'Graceful stop of task failed: it did not finish within task.shutdown.graceful.timeout.ms');
    return finished;
  }

  protected abstract initializeAndStart(): Promise<void>;
  protected abstract execute(): Promise<void>;
  protected abstract close(): Promise<void>;
}

export function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || (err as { code?: string }).code === 'ABORT_ERR');
}

export { sleep } from '../util/sleep.ts';
