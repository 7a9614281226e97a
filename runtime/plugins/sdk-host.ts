/**
 * Parent-first loading of the SDK, as Kafka Connect's plugin class loaders always take
 * `connect-api` from the worker: a plugin package has its own `node_modules` (its own copy of the
 * `tributary` package among them, for types and its tests), but at run time inside a worker its
 * `import … from 'tributary/sdk'` must give the worker's classes (SourceRecord, Struct, the errors),
 * or `instanceof` checks between the two would fail. The compiled `tributary/sdk` entry
 * (sdk/build-entry.ts writes it) re-exports the module published here when there is one.
 */
import { SDK_VERSION } from './sdk-version.ts';

/** The global slot the compiled SDK entry reads (Symbol.for: shared by every copy of the package). */
export const HOST_SDK = Symbol.for('tributary.sdk.host');

export interface HostSdk {
  version: string;
  /** The worker's module of an SDK entry: 'index' is `tributary/sdk`. */
  load(entry: 'index'): Promise<Record<string, unknown>>;
}

let installing: Promise<void> | undefined;

/** Publishes this worker's SDK for plugins; idempotent. */
export function installHostSdk(): Promise<void> {
  installing ??= (async () => {
    // Loaded lazily: the runtime itself never needs the SDK surface, only plugins do.
    const index = (await import('../../sdk/index.ts')) as Record<string, unknown>;
    const host: HostSdk = {
      version: SDK_VERSION,
      load: async () => index,
    };
    (globalThis as Record<symbol, unknown>)[HOST_SDK] = host;
  })();
  return installing;
}
