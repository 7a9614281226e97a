/**
 * Topic tracking (KIP-558): the topics each connector's tasks used, kept as status records, shown
 * by GET /connectors/{name}/topics and cleared by PUT …/topics/reset.
 */
import type { ConfigProviders } from '../../config/providers.ts';
import { RestError } from '../../errors.ts';
import type { KeyValueStore } from '../../transport/types.ts';
import type { WorkerConfig } from '../worker-config.ts';
import type { ConnectorEntry } from './connector-entry.ts';
import { STATUS } from './config-records.ts';

export class TopicTracking {
  constructor(private readonly deps: { worker: WorkerConfig; store: KeyValueStore; providers: ConfigProviders }) {}

  /** A connector's task used the topic: recorded once, as Kafka Connect's `status-topic-<topic>:connector-<name>` record. */
  record(connector: string, topic: string): void {
    if (!this.deps.worker.getBoolean('topic.tracking.enable')) return;
    const key = `status-topic-${topic}:connector-${connector}`;
    if (this.deps.store.get(STATUS, key) !== undefined) return;
    // Best effort, as Kafka Connect's: a refused write (e.g. a full disk) is retried at the topic's next use.
    this.deps.store
      .put([
        {
          namespace: STATUS,
          key,
          value: JSON.stringify({ topic: { name: topic, connector, task: 0, discoverTimestamp: Date.now() } }),
        },
      ])
      .catch(() => undefined);
  }

  /** GET /connectors/{name}/topics; `known` finds the connector as the herder knows it (after the 403 checks, as Kafka Connect). */
  activeTopics(name: string, known: (name: string) => ConnectorEntry): Record<string, { topics: string[] }> {
    if (!this.deps.worker.getBoolean('topic.tracking.enable')) throw new RestError(403, 'Topic tracking is disabled.');
    const e = known(name);
    // A topic name made from a provider's value shows the placeholder, not the value.
    const redact = this.deps.providers.transform(e.config).redact;
    const topics = this.deps.store
      .entries(STATUS, 'status-topic-')
      .map((x) => JSON.parse(x.value) as { topic: { name: string; connector: string } })
      .filter((t) => t.topic.connector === name)
      .map((t) => redact(t.topic.name, true))
      .sort();
    return { [name]: { topics } };
  }

  /** PUT /connectors/{name}/topics/reset. */
  async reset(name: string, known: (name: string) => ConnectorEntry): Promise<void> {
    if (!this.deps.worker.getBoolean('topic.tracking.enable')) throw new RestError(403, 'Topic tracking is disabled.');
    if (!this.deps.worker.getBoolean('topic.tracking.allow.reset'))
      throw new RestError(403, 'Topic tracking reset is disabled.');
    known(name);
    const writes = this.deps.store
      .entries(STATUS, 'status-topic-')
      .filter((x) => (JSON.parse(x.value) as { topic: { connector: string } }).topic.connector === name)
      .map((x) => ({ namespace: STATUS, key: x.key, value: null }));
    await this.deps.store.put(writes);
  }
}
