/**
 * The last line of defence of a worker process: a promise rejected with no handler (a bug, in
 * Tributary or in a plugin from plugin.path) ends a Node process by default, taking every
 * connector with it. A worker logs it with its stack, counts it and reports itself degraded
 * instead, as a JVM outlives an exception thrown in one of Kafka Connect's task threads. Tests
 * still fail on any (test/setup/unhandled-rejections.ts listens too).
 */
import { InternalError } from '../errors.ts';
import type { Logger } from '../logging.ts';

export interface ProcessFaults {
  /** Unhandled rejections seen since the worker started. */
  readonly unhandledRejections: number;
  uninstall(): void;
}

export function installProcessFaultHandlers(logger: Logger): ProcessFaults {
  let count = 0;
  const onRejection = (reason: unknown) => {
    count++;
    const err = reason instanceof Error ? reason : new InternalError(String(reason));
    logger.error(
      { err: err.message, stack: err.stack },
      'Unhandled promise rejection (a bug; the worker keeps running and reports itself degraded)',
    );
  };
  process.on('unhandledRejection', onRejection);
  return {
    get unhandledRejections() {
      return count;
    },
    uninstall() {
      process.off('unhandledRejection', onRejection);
    },
  };
}
