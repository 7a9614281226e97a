/**
 * Kafka Connect's RetryWithToleranceOperator: retry retriable failures up to errors.retry.timeout
 * with backoff (300 ms doubling, capped at errors.retry.delay.max.ms), then either fail the task
 * (errors.tolerance=none) or skip the record (all), logging it when errors.log.enable is set.
 */
import { TributaryError } from '../errors.ts';
import { isRetriable } from './retriable.ts';
import type { Logger } from '../logging.ts';
import type { TaskErrorCounters } from './task-metrics.ts';

export type Stage =
  | 'TASK_POLL'
  | 'TASK_PUT'
  | 'TRANSFORMATION'
  | 'KEY_CONVERTER'
  | 'VALUE_CONVERTER'
  | 'HEADER_CONVERTER'
  | 'KAFKA_PRODUCE'
  | 'KAFKA_CONSUME';

export interface ToleranceConfig {
  retryTimeoutMs: number;
  retryDelayMaxMs: number;
  tolerateAll: boolean;
  logErrors: boolean;
  logMessages: boolean;
}

export class StageFailure extends TributaryError {
  constructor(
    readonly stage: Stage,
    readonly className: string,
    cause: unknown,
  ) {
    super(`Error in stage ${stage} (${className}): ${(cause as Error)?.message ?? String(cause)}`, {
      code: 'TRIB_ERR_STAGE',
      cause,
    });
  }
}

export class ToleranceOperator {
  constructor(
    private readonly cfg: ToleranceConfig,
    private readonly logger: Logger,
    private readonly counters: TaskErrorCounters,
  ) {}

  static fromConfig(config: Record<string, string>, logger: Logger, counters: TaskErrorCounters): ToleranceOperator {
    return new ToleranceOperator(
      {
        retryTimeoutMs: Number(config['errors.retry.timeout'] ?? 0),
        retryDelayMaxMs: Number(config['errors.retry.delay.max.ms'] ?? 60000),
        tolerateAll: (config['errors.tolerance'] ?? 'none').toLowerCase() === 'all',
        logErrors: (config['errors.log.enable'] ?? 'false').toLowerCase() === 'true',
        logMessages: (config['errors.log.include.messages'] ?? 'false').toLowerCase() === 'true',
      },
      logger,
      counters,
    );
  }

  get tolerant(): boolean {
    return this.cfg.tolerateAll;
  }

  /**
   * Retries of an operation that must never be skipped (a write to the transport: skipping would
   * lose records), whatever errors.tolerance says: `again(err)` waits with the backoff and says
   * true while the failure is retriable and errors.retry.timeout has not passed (-1: forever), so
   * a task rides out a full disk or a lost broker (kafkajs' connection errors, after the transport's
   * own retries) and resumes by itself once the cause is gone.
   */
  retrier(logger: Logger, signal?: AbortSignal): { again(err: unknown): Promise<boolean> } {
    const deadline = this.cfg.retryTimeoutMs < 0 ? Infinity : Date.now() + this.cfg.retryTimeoutMs;
    let delay = 300;
    let retries = 0;
    return {
      again: async (err: unknown) => {
        const retriable = isRetriable(err);
        if (!retriable || Date.now() >= deadline || signal?.aborted) {
          if (retries > 0)
            logger.error(
              { retries, err: (err as Error).message },
              `Giving up after ${retries} retries (errors.retry.timeout=${this.cfg.retryTimeoutMs})`,
            );
          return false;
        }
        if (retries === 0)
          logger.warn(
            { err: (err as Error).message, retryTimeoutMs: this.cfg.retryTimeoutMs },
            'Retriable failure; retrying with backoff while errors.retry.timeout allows',
          );
        retries++;
        this.counters.retry();
        const wait = Math.min(
          delay > this.cfg.retryDelayMaxMs ? this.cfg.retryDelayMaxMs : delay,
          deadline - Date.now(),
        );
        delay *= 2;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, Math.max(0, wait));
          function done() {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
          }
          signal?.addEventListener('abort', done, { once: true });
        });
        if (signal?.aborted) return false;
        logger.info({ retries }, 'Retrying');
        return true;
      },
    };
  }

  /**
   * Runs one stage for one record. Returns `{ ok: true, value }`, or `{ ok: false }` when the
   * failure was tolerated (the record is skipped); throws StageFailure when it is not.
   */
  async execute<T>(
    stage: Stage,
    className: string,
    fn: () => T | Promise<T>,
    describeRecord?: () => string,
  ): Promise<{ ok: true; value: T } | { ok: false; error: Error }> {
    const deadline = this.cfg.retryTimeoutMs < 0 ? Infinity : Date.now() + this.cfg.retryTimeoutMs;
    let delay = 300;
    for (;;) {
      this.counters.attempt();
      try {
        const r = fn();
        return { ok: true, value: r instanceof Promise ? await r : r };
      } catch (err) {
        this.counters.failure();
        const retriable = isRetriable(err);
        if (retriable && Date.now() < deadline) {
          this.counters.retry();
          const wait = Math.min(
            delay > this.cfg.retryDelayMaxMs ? Math.random() * this.cfg.retryDelayMaxMs : delay,
            deadline - Date.now(),
          );
          delay *= 2;
          await new Promise((r) => setTimeout(r, Math.max(0, wait)));
          continue;
        }
        this.counters.error();
        if (this.cfg.logErrors) {
          this.counters.logged();
          this.logger.error(
            {
              stage,
              className,
              err: (err as Error).message,
              ...(this.cfg.logMessages && describeRecord ? { record: describeRecord() } : {}),
            },
            'Error encountered in task',
          );
        }
        if (!this.cfg.tolerateAll) throw new StageFailure(stage, className, err);
        this.counters.skip();
        return { ok: false, error: err as Error };
      }
    }
  }
}
