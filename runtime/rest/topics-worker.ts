/** The topic console of a running worker: over its transport, decoding with its converters. */
import type { PluginRegistry } from '../plugins/registry.ts';
import type { EmbeddedTransport } from '../transport/embedded-transport.ts';
import type { Transport } from '../transport/types.ts';
import type { WorkerConfig } from '../worker/worker-config.ts';
import { embeddedBackend, TopicConsole } from './topics-console.ts';
import type { TopicRoutesOptions } from './topics-routes.ts';

/**
 * `embedded`: the standalone worker's embedded log (null in distributed mode, where records are on
 * Kafka). The Kafka backend (and with it the Kafka client) is imported only for a worker on Kafka.
 */
export async function workerTopicConsole(opts: {
  transport: Transport;
  embedded: EmbeddedTransport | null;
  config: WorkerConfig;
  plugins: PluginRegistry;
}): Promise<TopicRoutesOptions> {
  const { transport, embedded, config } = opts;
  const backend =
    embedded !== null && transport === embedded
      ? embeddedBackend(embedded.log)
      : (await import('./topics-kafka.js')).kafkaBackend(transport, { ...config.originals });
  return {
    console: new TopicConsole(transport, backend),
    plugins: opts.plugins,
    converters: {
      key: { className: config.getString('key.converter'), configs: config.originalsWithPrefix('key.converter.') },
      value: {
        className: config.getString('value.converter'),
        configs: config.originalsWithPrefix('value.converter.'),
      },
    },
  };
}
