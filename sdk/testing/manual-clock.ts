/**
 * A clock the test moves: `sleep` waits until `advance` passes its deadline, and `run(promise)`
 * advances to each pending wake-up while the code under test waits only on this clock, so
 * poll intervals and retry backoffs of minutes pass instantly and in a deterministic order.
 */
import type { Clock } from '../clock.ts';

interface Sleeper {
  at: number;
  wake: () => void;
}

/** A clock the test moves: sleeps end when advance() passes them; run(promise) advances through them. */
export class ManualClock implements Clock {
  private time: number;
  private sleepers: Sleeper[] = [];
  /** Virtual milliseconds advanced so far. */
  advancedMs = 0;

  constructor(startMs = Date.UTC(2024, 0, 1)) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const sleeper: Sleeper = {
        at: this.time + ms,
        wake: () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          signal?.removeEventListener('abort', sleeper.wake);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', sleeper.wake, { once: true });
    });
  }

  /** Moves time forward, waking every sleep due by then (earliest first). */
  advance(ms: number): void {
    const target = this.time + Math.max(0, ms);
    for (;;) {
      const due = this.sleepers.filter((s) => s.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = Math.max(this.time, due.at);
      due.wake();
    }
    this.advancedMs += Math.max(0, ms);
    this.time = target;
  }

  /** When the next pending sleep ends, or undefined. */
  nextWakeup(): number | undefined {
    return this.sleepers.length ? Math.min(...this.sleepers.map((s) => s.at)) : undefined;
  }

  /**
   * Awaits `promise`, advancing time to the next wake-up whenever the code under test is blocked on
   * this clock. Fails after `realTimeoutMs` of real time (default 30 s), naming the virtual time spent.
   */
  async run<T>(promise: Promise<T>, opts: { realTimeoutMs?: number; maxAdvanceMs?: number } = {}): Promise<T> {
    let settled = false;
    const done = promise.finally(() => {
      settled = true;
    });
    done.catch(() => undefined);
    const realDeadline = Date.now() + (opts.realTimeoutMs ?? 30_000);
    const start = this.time;
    while (!settled) {
      await new Promise<void>((r) => setImmediate(r));
      if (settled) break;
      const next = this.nextWakeup();
      if (next !== undefined) {
        if (opts.maxAdvanceMs !== undefined && next - start > opts.maxAdvanceMs)
          throw new Error(
            `Still waiting after ${opts.maxAdvanceMs} ms of virtual time (next wake-up at +${next - start} ms)`,
          );
        this.advance(next - this.time);
      } else if (Date.now() > realDeadline) {
        throw new Error(
          `Still waiting after ${opts.realTimeoutMs ?? 30_000} ms of real time and ${this.time - start} ms of virtual time, with nothing sleeping on the manual clock`,
        );
      } else {
        await new Promise<void>((r) => setTimeout(r, 1));
      }
    }
    return done;
  }
}
