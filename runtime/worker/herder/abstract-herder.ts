/**
 * What both herders share (Kafka Connect's AbstractHerder): the serialized operation queue, the
 * config views and validation, offsets, topic tracking and plugin listings over the shared parts
 * of this folder. StandaloneHerder (runtime/worker) and DistributedHerder (runtime/distributed)
 * decide where connector state lives and which connectors and tasks this worker runs.
 */
import { SerialQueue } from '../../util/serial-queue.ts';
import { ConfigProviders } from '../../config/providers.ts';
import type { Logger, LogLevels } from '../../logging.ts';
import type { MetricsRegistry } from '../../metrics/registry.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import type { PluginType } from '../../plugins/types.ts';
import type { WorkerContext } from '../../spi/connector.ts';
import type { KeyValueStore, Transport } from '../../transport/types.ts';
import { SourceOffsetStore } from '../offset-store.ts';
import type { StateInfo, TargetState } from '../task-state.ts';
import type { WorkerConfig } from '../worker-config.ts';
import { ConfigRecords } from './config-records.ts';
import { ConnectorConfigValidator } from './config-validation.ts';
import { connectorObject, type ConnectorEntry } from './connector-entry.ts';
import { ConnectorLifecycle, type LifecycleMode } from './connector-lifecycle.ts';
import type {
  AlterOffsetsResult,
  ConfigInfos,
  ConfigKeyInfo,
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
  Herder,
  RestartRequest,
  TaskStateInfo,
} from './herder-api.ts';
import { registerWorkerMetrics } from './herder-metrics.ts';
import { OffsetsManagement } from './offsets-management.ts';
import { loadConnectorPlugins } from '../plugin-loading.ts';
import { TopicTracking } from './topic-tracking.ts';

export interface HerderOptions {
  worker: WorkerConfig;
  plugins: PluginRegistry;
  transport: Transport;
  store: KeyValueStore;
  metrics: MetricsRegistry;
  logger: Logger;
  /** Named connector/task loggers whose levels /admin/loggers can change. */
  logLevels?: LogLevels;
  workerId: string;
  /** The worker's config.providers; none resolve connector placeholders when absent. */
  configProviders?: ConfigProviders;
}

export interface HerderMode {
  /** Distributed mode: connectors and tasks may run on other workers. */
  distributed: boolean;
  /** exactly.once.source.support=enabled: source tasks write records and offsets in Kafka transactions. */
  exactlyOnce?: { transactionalIdPrefix: string };
}

export abstract class AbstractHerder implements Herder, LifecycleMode {
  /** `<host>:<port>` as shown in status `worker_id`; set once the REST listener is bound. */
  workerId: string;
  protected ready = false;
  protected readonly lifecycle: ConnectorLifecycle;
  protected readonly validator: ConnectorConfigValidator;
  protected readonly records: ConfigRecords;
  private readonly offsetsManagement: OffsetsManagement;
  private readonly topicTracking: TopicTracking;
  private readonly queue = new SerialQueue();

  constructor(
    protected readonly opts: HerderOptions,
    mode: HerderMode,
  ) {
    this.workerId = opts.workerId;
    const providers = opts.configProviders ?? ConfigProviders.none();
    const workerContext: WorkerContext = { fileAllowedPaths: opts.worker.getList('file.allowed.paths') };
    const offsets = new SourceOffsetStore(opts.store);
    this.records = new ConfigRecords(opts.store);
    this.topicTracking = new TopicTracking({ worker: opts.worker, store: opts.store, providers });
    this.validator = new ConnectorConfigValidator({
      worker: opts.worker,
      plugins: opts.plugins,
      providers,
      workerContext,
      exactlyOnce: mode.exactlyOnce !== undefined,
    });
    this.offsetsManagement = new OffsetsManagement({
      transport: opts.transport,
      plugins: opts.plugins,
      providers,
      offsets,
      store: opts.store,
      logger: opts.logger,
      distributed: mode.distributed,
    });
    this.lifecycle = new ConnectorLifecycle(
      {
        worker: opts.worker,
        plugins: opts.plugins,
        transport: opts.transport,
        metrics: opts.metrics,
        offsets,
        workerContext,
        exactlyOnce: mode.exactlyOnce,
        logger: opts.logger,
        logLevels: opts.logLevels,
        providers,
        onTopicUsed: (connector, topic) => this.topicTracking.record(connector, topic),
      },
      this,
    );
    registerWorkerMetrics(opts.metrics, this.lifecycle.entries, this.lifecycle.startups);
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** The connectors this worker runs something of. */
  protected get connectors(): Map<string, ConnectorEntry> {
    return this.lifecycle.entries;
  }

  /** Serializes mutating operations, as Kafka Connect's herder thread does. */
  protected serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }

  // ---- what each mode decides ------------------------------------------------------------------

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  abstract connectorNames(): string[];
  abstract connectorStatus(name: string): ConnectorStateInfo;
  abstract taskStatus(name: string, id: number): TaskStateInfo;
  abstract putConnectorConfig(
    name: string,
    config: Record<string, string>,
    opts: { allowReplace: boolean; initialState?: TargetState },
  ): Promise<{ created: boolean; info: ConnectorInfo }>;
  abstract pauseConnector(name: string): Promise<void>;
  abstract resumeConnector(name: string): Promise<void>;
  abstract restartConnector(name: string, opts: RestartRequest): Promise<ConnectorStateInfo | null>;
  abstract restartTask(name: string, id: number): Promise<void>;
  abstract stateChanged(e: ConnectorEntry, task: number | null, s: StateInfo): void;
  abstract taskConfigsGenerated(e: ConnectorEntry, configs: Array<Record<string, string>>): Promise<void>;
  abstract requestTaskReconfiguration(e: ConnectorEntry): void;
  /** The connector as this worker knows it: locally (standalone), or from the config topic (distributed). */
  protected abstract known(name: string): ConnectorEntry;
  protected abstract removeConnector(name: string): Promise<void>;
  protected abstract stopByRequest(name: string): Promise<void>;
  /** How an offset change is ordered with the other operations. */
  protected abstract offsetChange<T>(fn: () => Promise<T>): Promise<T>;

  // ---- reads -------------------------------------------------------------------------------------

  /** The connector's entry with the code of the plugins its config names loaded (its config definition masks secrets). */
  protected async loadedEntry(name: string): Promise<ConnectorEntry> {
    const e = this.known(name);
    await this.loadPlugins(e.config);
    return e;
  }

  /** Imports the plugins a connector config names (with the worker's converters), before they are created. */
  protected loadPlugins(config: Record<string, string>): Promise<void> {
    return loadConnectorPlugins(this.opts.plugins, config, this.opts.worker);
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    const e = await this.loadedEntry(name);
    return {
      name,
      config: this.validator.masked(e.descriptor, e.config),
      tasks: e.taskConfigs.map((_c, task) => ({ connector: name, task })),
      type: e.type,
    };
  }

  async connectorConfig(name: string): Promise<Record<string, string>> {
    const e = await this.loadedEntry(name);
    return this.validator.masked(e.descriptor, e.config);
  }

  async taskInfos(
    name: string,
  ): Promise<Array<{ id: { connector: string; task: number }; config: Record<string, string> }>> {
    const e = await this.loadedEntry(name);
    return e.taskConfigs.map((config, task) => ({
      id: { connector: name, task },
      config: this.validator.masked(e.descriptor, config),
    }));
  }

  // ---- config writes -----------------------------------------------------------------------------

  /** PATCH /connectors/{name}/config: merge; null removes a key. */
  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    const e = this.known(name);
    const merged: Record<string, string> = { ...e.config };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k];
      else merged[k] = String(v);
    }
    return (await this.putConnectorConfig(name, merged, { allowReplace: true })).info;
  }

  /** DELETE /connectors/{name}; resolves with what the connector leaves on the source system (logged as a warning), or null. */
  async deleteConnector(name: string): Promise<string | null> {
    const notice = await this.leftBehind(name, 'deleted');
    await this.removeConnector(name);
    return this.announce(name, notice);
  }

  /** PUT /connectors/{name}/stop; resolves with what stays on the source system while stopped (logged as a warning), or null. */
  async stopConnectorByRequest(name: string): Promise<string | null> {
    const notice = await this.leftBehind(name, 'stopped');
    await this.stopByRequest(name);
    return this.announce(name, notice);
  }

  /** What a source connector leaves behind when deleted or stopped (its leftBehind hook), or null. */
  private async leftBehind(name: string, action: 'deleted' | 'stopped'): Promise<string | null> {
    try {
      const e = await this.loadedEntry(name);
      return connectorObject(e, 'source')?.leftBehind?.(e.config, action) ?? null;
    } catch {
      return null; // an unknown connector fails the request itself
    }
  }

  private announce(name: string, notice: string | null): string | null {
    if (notice) this.opts.logger.warn({ connector: name }, notice);
    return notice;
  }

  // ---- offsets and topics --------------------------------------------------------------------------

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    return this.offsetsManagement.connectorOffsets(await this.loadedEntry(name));
  }

  alterOffsets(name: string, body: unknown): Promise<AlterOffsetsResult> {
    return this.offsetChange(async () => this.offsetsManagement.alter(await this.loadedEntry(name), body));
  }

  resetOffsets(name: string): Promise<{ message: string }> {
    return this.offsetChange(async () => this.offsetsManagement.reset(await this.loadedEntry(name)));
  }

  activeTopics(name: string): Record<string, { topics: string[] }> {
    return this.topicTracking.activeTopics(name, (n) => this.known(n));
  }

  async resetActiveTopics(name: string): Promise<void> {
    await this.topicTracking.reset(name, (n) => this.known(n));
  }

  // ---- plugins and validation ------------------------------------------------------------------------

  pluginConfig(pluginName: string): Promise<ConfigKeyInfo[]> {
    return this.validator.pluginConfig(pluginName);
  }

  listPlugins(types: PluginType[]): Array<{ class: string; type: PluginType; version: string }> {
    return this.validator.listPlugins(types);
  }

  validateConnectorConfig(config: Record<string, string>, expectedPlugin?: string): Promise<ConfigInfos> {
    return this.validator.validate(config, expectedPlugin);
  }
}
