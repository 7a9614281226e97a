/**
 * SIGINT / SIGTERM handling of the worker commands, as Kafka Connect's shutdown hook: the first
 * signal stops the worker gracefully (every task gets task.shutdown.graceful.timeout.ms to stop and
 * commit its offsets; one that overruns is named in the log and closed forcibly); a second signal
 * exits at once with 128 + the signal number, as a shell reports a process killed by it.
 */
import os from 'node:os';
import type { CliIo } from '../io.ts';

export type ExitFn = (code: number) => void;

/** How long the process may linger after a completed stop before it is ended (a leaked socket or timer must not keep it up). */
export const LINGER_AFTER_STOP_MS = 2000;

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function exitCodeOf(signal: NodeJS.Signals): number {
  return 128 + (os.constants.signals[signal] ?? 15);
}

/**
 * Resolves with exit code 0 once the worker has stopped after a first signal. A second signal
 * calls `exit` at once. After the stop, anything still holding the event loop open is reported and
 * the process exits anyway `LINGER_AFTER_STOP_MS` later.
 */
export function waitForShutdown(
  worker: { stop(): Promise<void> },
  io: CliIo,
  opts: { exit?: ExitFn; signals?: NodeJS.EventEmitter } = {},
): Promise<number> {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const signals = opts.signals ?? process;
  return new Promise((resolve, reject) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        io.stderr.write(`Received ${signal} again; exiting at once without waiting for tasks to stop\n`);
        exit(exitCodeOf(signal));
        return;
      }
      stopping = true;
      io.stderr.write(
        `Received ${signal}; stopping worker (tasks stop and commit their offsets within task.shutdown.graceful.timeout.ms; send the signal again to exit at once)\n`,
      );
      worker.stop().then(
        () => {
          io.stderr.write('Worker stopped\n');
          const linger = setTimeout(() => {
            io.stderr.write(
              `The process was still held open ${LINGER_AFTER_STOP_MS} ms after the worker stopped (${describeHandles()}); exiting\n`,
            );
            exit(0);
          }, LINGER_AFTER_STOP_MS);
          linger.unref();
          for (const s of SIGNALS) signals.removeListener(s, onSignal);
          // A signal during the linger period still ends the process at once.
          for (const s of SIGNALS) signals.once(s, () => exit(exitCodeOf(s)));
          resolve(0);
        },
        (err: unknown) => {
          io.stderr.write(`Stopping the worker failed: ${(err as Error).message}\n`);
          reject(err as Error);
        },
      );
    };
    for (const s of SIGNALS) signals.on(s, onSignal);
  });
}

function describeHandles(): string {
  const handles = (process as unknown as { _getActiveHandles?: () => object[] })._getActiveHandles?.() ?? [];
  const names = handles.map((h) => {
    const socket = h as { remoteAddress?: string; remotePort?: number };
    return socket.remotePort
      ? `${h.constructor.name} to ${socket.remoteAddress}:${socket.remotePort}`
      : h.constructor.name;
  });
  return names.length ? `open: ${names.join(', ')}` : 'no handles reported';
}
