/** Worker configuration (Kafka Connect's WorkerConfig / StandaloneConfig keys plus Tributary's own). */
import path from 'node:path';
import { ConfigDef, ParsedConfig, Validators } from '../config/config-def.ts';

export const WORKER_CONFIG_DEF = new ConfigDef()
  .define({ name: 'bootstrap.servers', type: 'LIST', defaultValue: '', importance: 'HIGH', documentation: 'Kafka brokers. Empty (the default): records go to the embedded log in tributary.data.dir, no Kafka needed. Client settings security.protocol, sasl.mechanism, sasl.jaas.config and producer.compression.type apply to the Kafka transport.' })
  .define({ name: 'key.converter', type: 'CLASS', defaultValue: 'org.apache.kafka.connect.json.JsonConverter', importance: 'HIGH', documentation: 'Converter class for record keys.' })
  .define({ name: 'value.converter', type: 'CLASS', defaultValue: 'org.apache.kafka.connect.json.JsonConverter', importance: 'HIGH', documentation: 'Converter class for record values.' })
  .define({ name: 'header.converter', type: 'CLASS', defaultValue: 'org.apache.kafka.connect.storage.SimpleHeaderConverter', importance: 'LOW', documentation: 'HeaderConverter class for record headers.' })
  .define({ name: 'offset.flush.interval.ms', type: 'LONG', defaultValue: 60000, importance: 'LOW', documentation: 'Interval at which to try committing offsets for tasks.', validator: Validators.atLeast(0) })
  .define({ name: 'offset.flush.timeout.ms', type: 'LONG', defaultValue: 5000, importance: 'LOW', documentation: 'Maximum number of milliseconds to wait for records to flush and partition offset data to be committed.' })
  .define({ name: 'task.shutdown.graceful.timeout.ms', type: 'LONG', defaultValue: 5000, importance: 'LOW', documentation: 'Amount of time to wait for tasks to shutdown gracefully.' })
  .define({ name: 'offset.storage.file.filename', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'Accepted for connect-standalone compatibility; Tributary keeps source offsets in tributary.data.dir (defaults to the directory of this file when tributary.data.dir is unset).' })
  .define({ name: 'plugin.path', type: 'LIST', defaultValue: '', importance: 'LOW', documentation: 'Directories of npm plugin packages (connectors, transforms, converters).' })
  .define({ name: 'listeners', type: 'LIST', defaultValue: 'http://:8083', importance: 'LOW', documentation: 'REST listener URIs, e.g. http://:8083 or http://127.0.0.1:0.' })
  .define({ name: 'rest.advertised.host.name', type: 'STRING', defaultValue: null, importance: 'LOW', documentation: 'Host name other workers and status use for this worker.' })
  .define({ name: 'rest.advertised.port', type: 'INT', defaultValue: null, importance: 'LOW', documentation: 'Port advertised in worker ids.' })
  .define({ name: 'topic.creation.enable', type: 'BOOLEAN', defaultValue: true, importance: 'LOW', documentation: 'Whether source connectors may create their topics by their topic.creation.* settings.' })
  .define({ name: 'topic.tracking.enable', type: 'BOOLEAN', defaultValue: true, importance: 'LOW', documentation: 'Track the topics used by connectors.' })
  .define({ name: 'topic.tracking.allow.reset', type: 'BOOLEAN', defaultValue: true, importance: 'LOW', documentation: 'Allow resets of tracked topics.' })
  .define({ name: 'consumer.max.poll.records', type: 'INT', defaultValue: 500, importance: 'LOW', documentation: 'Maximum records a sink task receives in one put().', validator: Validators.atLeast(1) })
  .define({ name: 'connector.client.config.override.policy', type: 'STRING', defaultValue: 'All', importance: 'MEDIUM', documentation: 'Which producer.override.*, consumer.override.* and admin.override.* keys connectors may set: All (any key the Kafka transport honours), None, or Principal (only sasl.jaas.config, sasl.mechanism, security.protocol). Class names (org.apache.kafka.connect.connector.policy.AllConnectorClientConfigOverridePolicy, …) are accepted too.' })
  .define({ name: 'tributary.data.dir', type: 'STRING', defaultValue: '', importance: 'HIGH', documentation: 'Directory of the embedded log, source offsets and persisted connector configs (default ./.tributary/data).' })
  .define({ name: 'tributary.log.sync', type: 'STRING', defaultValue: 'durable', importance: 'MEDIUM', documentation: 'durable: fsync every commit (nothing acknowledged is lost on power failure); os: leave flushing to the OS (survives process crashes only).', validator: Validators.in('durable', 'os') })
  .define({ name: 'tributary.log.default.partitions', type: 'INT', defaultValue: 1, importance: 'LOW', documentation: 'Partitions of topics the embedded log creates on first write.', validator: Validators.atLeast(1) })
  .define({ name: 'tributary.log.level', type: 'STRING', defaultValue: 'info', importance: 'LOW', documentation: 'Log level: trace, debug, info, warn, error, silent.' });

export class WorkerConfig extends ParsedConfig {
  constructor(props: Record<string, string>, def: ConfigDef = WORKER_CONFIG_DEF) {
    super(def, props);
  }

  get dataDir(): string {
    const explicit = this.getString('tributary.data.dir');
    if (explicit) return path.resolve(explicit);
    const offsetFile = this.getString('offset.storage.file.filename');
    if (offsetFile) return path.resolve(path.dirname(offsetFile), 'tributary-data');
    return path.resolve('.tributary', 'data');
  }

  get listener(): { host: string; port: number } {
    const first = this.getList('listeners')[0] ?? 'http://:8083';
    const m = /^(https?):\/\/([^:/]*)(?::(\d+))?/.exec(first);
    if (!m) throw new Error(`listeners: cannot parse "${first}"; expected e.g. http://:8083`);
    if (m[1] === 'https') throw new Error('listeners: https is not supported yet; put a TLS-terminating proxy in front or use http://');
    return { host: m[2] || '0.0.0.0', port: m[3] ? Number(m[3]) : 8083 };
  }
}
