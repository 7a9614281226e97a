/**
 * PollingSourceTask: the common shape of a source task that asks an external system for "what is
 * new since offset X" in a loop. The subclass implements `fetch()`; the base class handles the
 * poll interval when nothing is new, retries with exponential backoff after a retriable error,
 * stopping promptly, and reading committed offsets after a restart.
 */
import { ConfigDef, ParsedConfig, Validators } from '../runtime/config/config-def.ts';
import { ConnectException } from '../runtime/errors.ts';
import type { SourceOffset, SourcePartition, SourceRecord } from '../runtime/data/records.ts';
import type { MaybePromise } from '../runtime/spi/connector.ts';
import type { SourceTask, SourceTaskContext } from '../runtime/spi/source.ts';
import { backoffDelay, clockOf, type Clock } from './clock.ts';
import { isRetriable } from './errors.ts';

/** Keys read by PollingSourceTask; merge them into the connector's ConfigDef with `.merge(POLLING_SOURCE_CONFIG)`. */
export const POLLING_SOURCE_CONFIG = new ConfigDef()
  .define({
    name: 'poll.interval.ms',
    type: 'LONG',
    defaultValue: 1000,
    validator: Validators.atLeast(0),
    importance: 'MEDIUM',
    documentation: 'How long to wait before asking the source again after it had nothing new.',
  })
  .define({
    name: 'retry.backoff.ms',
    type: 'LONG',
    defaultValue: 100,
    validator: Validators.atLeast(0),
    importance: 'LOW',
    documentation: 'Wait after the first retriable failure; doubled after each further failure.',
  })
  .define({
    name: 'retry.backoff.max.ms',
    type: 'LONG',
    defaultValue: 10_000,
    validator: Validators.atLeast(0),
    importance: 'LOW',
    documentation: 'Upper bound of the wait between retries.',
  })
  .define({
    name: 'max.retries',
    type: 'INT',
    defaultValue: 10,
    validator: Validators.atLeast(-1),
    importance: 'LOW',
    documentation: 'Consecutive retriable failures before the task fails (-1: retry forever).',
  });

/** The settings PollingSourceTask runs with (from POLLING_SOURCE_CONFIG). */
export interface PollingSettings {
  pollIntervalMs: number;
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
  /** -1: retry forever. */
  maxRetries: number;
}

/**
 * A source task built from one method, {@link PollingSourceTask.fetch}: return the records that
 * are new since the offsets you last returned (empty when there are none).
 *
 * Threading: the worker calls `poll()` from one async loop, never concurrently; `stop()` may be
 * called while a `poll()` is pending — `this.signal` aborts then, so pass it to your I/O.
 *
 * Offsets: give each record a `sourcePartition` and `sourceOffset`; after a restart,
 * {@link PollingSourceTask.committedOffset} returns the last offset that was committed (the worker
 * commits only offsets of records durable in the log), so resume from there.
 */
export abstract class PollingSourceTask implements SourceTask {
  protected context!: SourceTaskContext;
  /** The task's configuration, as given to start(). */
  protected props: Record<string, string> = {};
  protected settings: PollingSettings = {
    pollIntervalMs: 1000,
    retryBackoffMs: 100,
    retryBackoffMaxMs: 10_000,
    maxRetries: 10,
  };
  private nextPollAt = 0;
  private failures = 0;

  abstract version(): string;

  /** Returns the records new since the last call (or since the committed offsets after a restart). */
  protected abstract fetch(): Promise<SourceRecord[]>;

  /** Opens connections etc.; `this.props` and `this.settings` are set. */
  protected onStart(): MaybePromise<void> {}

  /** Releases what onStart opened. */
  protected onStop(): MaybePromise<void> {}

  initialize(context: SourceTaskContext): void {
    this.context = context;
  }

  async start(props: Record<string, string>): Promise<void> {
    this.props = props;
    const parsed = new ParsedConfig(POLLING_SOURCE_CONFIG, pick(props, POLLING_SOURCE_CONFIG));
    this.settings = {
      pollIntervalMs: parsed.values['poll.interval.ms'] as number,
      retryBackoffMs: parsed.values['retry.backoff.ms'] as number,
      retryBackoffMaxMs: parsed.values['retry.backoff.max.ms'] as number,
      maxRetries: parsed.values['max.retries'] as number,
    };
    await this.onStart();
  }

  /** The clock to use for waits (the test kit's manual clock in tests). */
  protected get clock(): Clock {
    return clockOf(this.context);
  }

  /** Aborted when the task is being stopped. */
  protected get signal(): AbortSignal {
    return this.context.signal;
  }

  /** The last committed offset of a source partition, or null (first start). */
  protected committedOffset(partition: SourcePartition): SourceOffset | null {
    return this.context.offsetStorageReader.offset(partition);
  }

  async poll(): Promise<SourceRecord[] | null> {
    const wait = this.nextPollAt - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait, this.signal);
    if (this.signal.aborted) return null;
    try {
      const records = await this.fetch();
      this.failures = 0;
      this.nextPollAt = records.length === 0 ? this.clock.now() + this.settings.pollIntervalMs : 0;
      return records.length === 0 ? null : records;
    } catch (err) {
      if (!isRetriable(err) || this.signal.aborted) throw err;
      this.failures++;
      const { maxRetries, retryBackoffMs, retryBackoffMaxMs } = this.settings;
      if (maxRetries >= 0 && this.failures > maxRetries) {
        throw new ConnectException(`Giving up after ${maxRetries} retries (max.retries): ${(err as Error).message}`, {
          cause: err,
        });
      }
      const delay = backoffDelay(this.failures, retryBackoffMs, retryBackoffMaxMs);
      this.context.logger.warn(
        { err, attempt: this.failures, delayMs: delay },
        `Retriable failure while polling; retrying in ${delay} ms`,
      );
      this.nextPollAt = this.clock.now() + delay;
      return null;
    }
  }

  async stop(): Promise<void> {
    await this.onStop();
  }
}

/** The subset of `props` that `def` defines (so a fragment parses without unknown-key noise). */
export function pick(props: Record<string, string>, def: ConfigDef): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of def.names()) if (props[name] !== undefined) out[name] = props[name];
  return out;
}
