/**
 * Standalone and distributed workers hosting the built-in plugins: what the CLI, the tests and
 * the benches start. `plugins` here are extra plugins registered beside the built-ins.
 */
import type { AnyPluginDescriptor } from '../runtime/plugins/types.ts';
import type { Logger } from '../runtime/logging.ts';
import type * as standalone from '../runtime/boot/standalone-worker.ts';
import type * as distributed from '../runtime/boot/distributed-worker.ts';
import { builtinPlugins } from './builtins.ts';

export type { RunningWorker } from '../runtime/boot/standalone-worker.ts';
export type { RunningDistributedWorker } from '../runtime/boot/distributed-worker.ts';

export interface StartWorkerOptions {
  /** Plugins registered beside the built-ins (tests, embedding applications). */
  plugins?: AnyPluginDescriptor[];
  logger?: Logger;
}

// Each worker kind is imported when started: a standalone worker never loads the distributed
// worker's group membership and Kafka-backed stores.
export async function startStandaloneWorker(
  props: Record<string, string>,
  opts: StartWorkerOptions = {},
): Promise<standalone.RunningWorker> {
  const { startStandaloneWorker: start } = await import('../runtime/boot/standalone-worker.js');
  return start(props, { ...opts, plugins: [...builtinPlugins(), ...(opts.plugins ?? [])] });
}

export async function startDistributedWorker(
  props: Record<string, string>,
  opts: StartWorkerOptions = {},
): Promise<distributed.RunningDistributedWorker> {
  const { startDistributedWorker: start } = await import('../runtime/boot/distributed-worker.js');
  return start(props, {
    ...opts,
    plugins: [...builtinPlugins(), ...(opts.plugins ?? [])],
  });
}
