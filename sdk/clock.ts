/**
 * Time as the SDK helpers see it. The worker gives tasks the system clock; the test kit gives them
 * a ManualClock, so backoffs and poll intervals pass instantly and deterministically in tests.
 */

/** A source of time and of waits; `sleep` resolves early (without throwing) when `signal` aborts. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Wall-clock time and real timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve) => {
      if (ms <= 0 || signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    });
  },
};

/**
 * The clock of a task or connector context: the test kit's contexts carry a `clock`, the worker's
 * do not (the system clock is used).
 */
export function clockOf(context: object | undefined | null): Clock {
  const clock = (context as { clock?: Clock } | undefined | null)?.clock;
  return clock ?? systemClock;
}

/** Exponential backoff: `initialMs` doubled per failed attempt (attempt 1 waits `initialMs`), capped at `maxMs`. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}
