/**
 * Standalone and distributed workers hosting the built-in plugins: what the CLI, the tests and
 * the benches start. `plugins` here are extra plugins registered beside the built-ins.
 */
import type { AnyPluginDescriptor } from '../runtime/plugins/types.ts';
import type { Logger } from '../runtime/logging.ts';
import * as standalone from '../runtime/boot/standalone-worker.ts';
import * as distributed from '../runtime/boot/distributed-worker.ts';
import { builtinPlugins } from './builtins.ts';

export type { RunningWorker } from '../runtime/boot/standalone-worker.ts';
export type { RunningDistributedWorker } from '../runtime/boot/distributed-worker.ts';

export interface StartWorkerOptions {
  /** Plugins registered beside the built-ins (tests, embedding applications). */
  plugins?: AnyPluginDescriptor[];
  logger?: Logger;
}

export function startStandaloneWorker(
  props: Record<string, string>,
  opts: StartWorkerOptions = {},
): Promise<standalone.RunningWorker> {
  return standalone.startStandaloneWorker(props, { ...opts, plugins: [...builtinPlugins(), ...(opts.plugins ?? [])] });
}

export function startDistributedWorker(
  props: Record<string, string>,
  opts: StartWorkerOptions = {},
): Promise<distributed.RunningDistributedWorker> {
  return distributed.startDistributedWorker(props, {
    ...opts,
    plugins: [...builtinPlugins(), ...(opts.plugins ?? [])],
  });
}
