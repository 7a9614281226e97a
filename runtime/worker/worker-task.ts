/**
 * What source and sink task runners share: state (UNASSIGNED → RUNNING ⇄ PAUSED → FAILED),
 * the pause gate, an abort signal for stop, and a graceful stop with a timeout. A task that
 * overruns the timeout is named in the log and closed forcibly (Kafka Connect's
 * Worker.awaitStopTask then WorkerTask.cancel): its connections are closed under it.
 */
import { traceOf } from '../errors.ts';
import type { Logger } from '../logging.ts';
import type { ConnectorStateName, TaskId } from './task-state.ts';
import { settlesWithin } from './shutdown.ts';

export type TaskStateListener = (id: TaskId, state: ConnectorStateName, trace?: string) => void;

export abstract class WorkerTask {
  state: ConnectorStateName = 'UNASSIGNED';
  trace: string | undefined;
  protected readonly abort = new AbortController();
  private paused = false;
  private resumeWaiters: Array<() => void> = [];
  private done: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

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
      // Kafka Connect's "WorkerSourceTask{id=name-0} Source task finished initialization and start".
      this.logger.info(
        `${this.constructor.name}{id=${this.id.connector}-${this.id.task}} ${this.constructor.name.includes('Sink') ? 'Sink' : 'Source'} task finished initialization and start`,
      );
      this.setState(this.paused ? 'PAUSED' : 'RUNNING');
      await this.execute();
    } catch (err) {
      if (this.stopping && isAbort(err)) return;
      this.logger.error(
        { err: (err as Error).message, task: `${this.id.connector}-${this.id.task}` },
        'Task threw an uncaught and unrecoverable exception. Task is being killed and will not recover until manually restarted',
      );
      this.trace = traceOf(err);
      this.setState('FAILED', this.trace);
    } finally {
      await this.closeOnce();
    }
  }

  /** close() runs once: at the end of the loop, or earlier when a stop overruns its timeout. */
  private closeOnce(): Promise<void> {
    this.closing ??= this.close().catch((err: unknown) => {
      this.logger.warn({ err: (err as Error).message }, 'Error while closing task');
    });
    return this.closing;
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

  /**
   * Signals the loop to stop and waits up to `timeoutMs` for it to finish flushing. A task still
   * running then is logged by name and closed forcibly (what it had not committed is delivered
   * again on its next start); the stop resolves false after waiting at most `FORCED_CLOSE_MS` more.
   */
  async stop(timeoutMs: number): Promise<boolean> {
    this.logger.info(`Stopping task ${this.id.connector}-${this.id.task}`);
    this.abort.abort();
    const w = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const fn of w) fn();
    if (!this.done) return true;
    if (await settlesWithin(this.done, timeoutMs)) return true;
    const task = `${this.id.connector}-${this.id.task}`;
    this.logger.warn(
      { task, timeoutMs },
      `Graceful stop of task ${task} failed: it did not finish within task.shutdown.graceful.timeout.ms=${timeoutMs}; closing it forcibly (records it had not committed are delivered again on its next start)`,
    );
    if (!(await settlesWithin(this.closeOnce(), FORCED_CLOSE_MS))) {
      this.logger.error(
        { task },
        `Task ${task} did not close within ${FORCED_CLOSE_MS} ms of being cancelled; abandoning it`,
      );
    }
    return false;
  }

  protected abstract initializeAndStart(): Promise<void>;
  protected abstract execute(): Promise<void>;
  protected abstract close(): Promise<void>;
}

/** How long a forced close of an overrunning task may take before the task is abandoned. */
export const FORCED_CLOSE_MS = 2000;

export function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || (err as { code?: string }).code === 'ABORT_ERR');
}

export { sleep } from '../util/sleep.ts';
