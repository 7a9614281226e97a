/**
 * The standalone herder: owns connector configs and target states (persisted, so a restarted
 * worker resumes its connectors), runs connectors and their tasks, and answers every operation
 * of the REST API with Kafka Connect's semantics and messages.
 */
import os from 'node:os';
import { ConfigDef, maskSecrets, Password, type ConfigValue, type ConfigKey } from '../config/config-def.ts';
import { redactText } from '../config/redaction.ts';
import { ConfigProviders, hasPlaceholder, type ResolvedConfig } from '../config/providers.ts';
import { redactingLogger } from '../config/redacting-logger.ts';
import { AlreadyExistsError, BadRequestError, ConnectException, NotFoundError, RestError, traceOf } from '../errors.ts';
import type { Logger, LogLevels } from '../logging.ts';
import { MBean, type MetricsRegistry } from '../metrics/registry.ts';
import { MetricGroups } from '../metrics/names.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import type { PluginDescriptor, PluginType } from '../plugins/types.ts';
import type { Connector, SourceConnector, WorkerContext } from '../spi/connector.ts';
import type { TopicPartition } from '../spi/sink.ts';
import type { SourceRecord, SinkRecord, SourcePartition, SourceOffset } from '../data/records.ts';
import type { KeyValueStore, Subscription, TopicCreationSpec, Transport } from '../transport/types.ts';
import { TopicCreationRules } from './topic-creation.ts';
import { settlesWithin } from './shutdown.ts';
import { topicNameErrors } from './topic-names.ts';
import { clientOverrideErrors, clientOverrides, overridePolicyOf } from '../transport/client-override-policy.ts';
import { commonConnectorConfigDef, sinkConnectorConfigDef, sourceConnectorConfigDef } from './connector-config.ts';
import { ToleranceOperator } from './error-handling.ts';
import { DeadLetterQueueReporter } from './dead-letter-queue.ts';
import { offsetWrite, SourceOffsetStore } from './offset-store.ts';
import { vetSinkOffsets, vetSourceOffsets } from './offsets-validation.ts';
import { createConverter, createHeaderConverter } from './task-factory.ts';
import { SinkTaskMetrics, SourceTaskMetrics, TaskErrorCounters, TaskMetrics } from './task-metrics.ts';
import type { ConnectorStateName, StateInfo, TargetState } from './task-state.ts';
import { buildTransformationChain } from './transformation-chain.ts';
import { parseReplayTarget, planReplay, replaySourceFrom } from './replay.ts';
import { SnapshotLog } from './snapshot-log.ts';
import type { WorkerConfig } from './worker-config.ts';
import { WorkerSinkTask } from './worker-sink-task.ts';
import { WorkerSourceTask } from './worker-source-task.ts';
import type { SnapshotStatus } from '../spi/source.ts';
import { transactionBoundaryErrors, transactionBoundaryOf, transactionTimeoutMs } from './transaction-boundary-config.ts';
import type { WorkerTask } from './worker-task.ts';

const CONFIGS = 'connect-configs';
const STATUS = 'connect-status';

export type ConnectorType = 'source' | 'sink' | 'unknown';

export interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: Array<{ connector: string; task: number }>;
  type: ConnectorType;
}

export interface ConnectorStateInfo {
  name: string;
  connector: { state: ConnectorStateName; worker_id: string; trace?: string };
  tasks: Array<{ id: number; state: ConnectorStateName; worker_id: string; trace?: string }>;
  type: ConnectorType;
}

export interface ConfigKeyInfo {
  name: string;
  type: string;
  required: boolean;
  default_value: string | null;
  importance: string;
  documentation: string;
  group: string | null;
  order: number;
  width: string;
  display_name: string;
  dependents: string[];
}

export interface ConfigInfos {
  name: string;
  error_count: number;
  groups: string[];
  configs: Array<{ definition: ConfigKeyInfo; value: { name: string; value: string | null; recommended_values: string[]; errors: string[]; visible: boolean } }>;
}

interface ConnectorEntry {
  name: string;
  config: Record<string, string>;
  type: ConnectorType;
  descriptor: PluginDescriptor | undefined;
  target: TargetState;
  state: StateInfo;
  instance: Connector | undefined;
  taskConfigs: Array<Record<string, string>>;
  tasks: Map<number, WorkerTask>;
  taskStates: Map<number, StateInfo>;
  /** Puts config provider placeholders back where their resolved values show up (traces, logs). */
  redact: (text: string) => string;
  /** The redactors of the last resolution of the connector config and of each task config. */
  redactors: Map<string, (text: string) => string>;
}

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
  /** Distributed mode: which connectors this worker runs; statuses are published to the store. */
  cluster?: ClusterRole;
}

/**
 * What the herder needs to know about the cluster it runs in (distributed mode): the group
 * leader assigns each connector instance and each task to one worker.
 */
export interface ClusterRole {
  /** This worker runs the connector instance, which generates the task configs. */
  runsConnector(connector: string): boolean;
  /** This worker runs the task (its config is read from the config topic). */
  runsTask(connector: string, task: number): boolean;
  generation(): number;
  /** Set when exactly.once.source.support=enabled: source tasks write records and offsets in Kafka transactions. */
  exactlyOnce?: { transactionalIdPrefix: string };
}

export class StandaloneHerder {
  /** `<host>:<port>` as shown in status `worker_id`; set once the REST listener is bound. */
  workerId: string;
  private readonly connectors = new Map<string, ConnectorEntry>();
  private readonly offsets: SourceOffsetStore;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly startups = { connector: { success: 0, failure: 0 }, task: { success: 0, failure: 0 } };
  private ready = false;
  private readonly providers: ConfigProviders;
  private readonly workerContext: WorkerContext;

  constructor(private readonly opts: HerderOptions) {
    this.workerId = opts.workerId;
    this.providers = opts.configProviders ?? ConfigProviders.none();
    this.workerContext = { fileAllowedPaths: opts.worker.getList('file.allowed.paths') };
    this.offsets = new SourceOffsetStore(opts.store);
    this.registerWorkerMetrics();
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Serializes mutating operations, as Kafka Connect's herder thread does. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Restores persisted connectors and starts them in their target states. */
  async start(): Promise<void> {
    if (this.opts.cluster) {
      // Connectors start once group membership says which are ours (reconcile()).
      this.ready = true;
      return;
    }
    for (const { key, value } of this.opts.store.entries(CONFIGS, 'connector-')) {
      const name = key.slice('connector-'.length);
      const config = JSON.parse(value) as Record<string, string>;
      const target = ((JSON.parse(this.opts.store.get(CONFIGS, `target-state-${name}`) ?? '{"state":"STARTED"}') as { state: TargetState }).state);
      const entry = this.newEntry(name, config, target);
      this.connectors.set(name, entry);
      await this.startConnector(entry);
    }
    this.ready = true;
  }

  /**
   * Stops every connector and task at once, so all of them share one task.shutdown.graceful.timeout.ms
   * (Kafka Connect's Worker.stopAndAwaitTasks) rather than one timeout after the other.
   */
  async stop(): Promise<void> {
    await this.serial(async () => {
      const entries = [...this.connectors.values()];
      const ran = entries.map((e) => ({ connector: e.instance !== undefined, tasks: [...e.tasks.keys()] }));
      await Promise.all(entries.map((e) => this.stopConnector(e, false)));
      for (const [i, entry] of entries.entries()) {
        // Distributed mode: what this worker ran is unassigned until the group hands it out again.
        if (ran[i].connector) await this.publishUnassigned(entry.name, null);
        for (const id of ran[i].tasks) await this.publishUnassigned(entry.name, id);
      }
    });
  }

  private newEntry(name: string, config: Record<string, string>, target: TargetState): ConnectorEntry {
    const descriptor = config['connector.class'] ? this.opts.plugins.find(config['connector.class'], ['source', 'sink']) : undefined;
    const entry: ConnectorEntry = {
      name, config, target, descriptor,
      type: descriptor ? (descriptor.type as 'source' | 'sink') : 'unknown',
      state: { state: 'UNASSIGNED' }, instance: undefined, taskConfigs: [], tasks: new Map(), taskStates: new Map(),
      redact: (text) => text,
      redactors: new Map(),
    };
    entry.redact = (text) => {
      let out = text;
      for (const r of entry.redactors.values()) out = r(out);
      return out;
    };
    return entry;
  }

  private loggerFor(name: string, bindings: Record<string, unknown>): Logger {
    return this.opts.logLevels ? this.opts.logLevels.child(name, bindings) : this.opts.logger.child(bindings);
  }

  // ---- reads ---------------------------------------------------------------------------------

  connectorNames(): string[] {
    if (this.opts.cluster) return this.storedConfigs().map(([name]) => name);
    return [...this.connectors.keys()].sort();
  }

  private storedConfigs(): Array<[string, Record<string, string>]> {
    return this.opts.store.entries(CONFIGS, 'connector-').map((e) => [e.key.slice('connector-'.length), JSON.parse(e.value) as Record<string, string>]);
  }

  /** Distributed mode: the task configs of the last `commit-<name>` record, as Kafka Connect's config topic holds them. */
  private storedTaskConfigs(name: string): Array<Record<string, string>> {
    const commit = this.opts.store.get(CONFIGS, `commit-${name}`);
    const count = commit === undefined ? 0 : Number((JSON.parse(commit) as { tasks?: number }).tasks ?? 0);
    return Array.from({ length: count }, (_x, i) => JSON.parse(this.opts.store.get(CONFIGS, `task-${name}-${i}`) ?? '{}') as Record<string, string>);
  }

  /** Distributed mode: writes `task-<name>-<i>` then `commit-<name>` (Kafka Connect's format) when the configs changed. */
  private async publishTaskConfigs(name: string, configs: Array<Record<string, string>>): Promise<void> {
    if (this.opts.store.get(CONFIGS, `commit-${name}`) !== undefined && JSON.stringify(configs) === JSON.stringify(this.storedTaskConfigs(name))) return;
    await this.opts.store.put([
      ...configs.map((c, i) => ({ namespace: CONFIGS, key: `task-${name}-${i}`, value: JSON.stringify(c) })),
      { namespace: CONFIGS, key: `commit-${name}`, value: JSON.stringify({ tasks: configs.length }) },
    ]);
  }

  private storedConfig(name: string): Record<string, string> | undefined {
    const stored = this.opts.store.get(CONFIGS, `connector-${name}`);
    return stored === undefined ? undefined : JSON.parse(stored) as Record<string, string>;
  }

  /** Distributed mode: the connector as the config topic has it (every worker answers from there). */
  private storedEntry(name: string): ConnectorEntry {
    const config = this.storedConfig(name);
    if (config === undefined) throw new NotFoundError(`Connector ${name} not found`);
    const e = this.newEntry(name, config, this.storedTarget(name));
    e.taskConfigs = this.storedTaskConfigs(name);
    return e;
  }

  private storedTarget(name: string): TargetState {
    return (JSON.parse(this.opts.store.get(CONFIGS, `target-state-${name}`) ?? '{"state":"STARTED"}') as { state: TargetState }).state;
  }

  private entry(name: string): ConnectorEntry {
    const e = this.connectors.get(name);
    if (!e) throw new NotFoundError(`Connector ${name} not found`);
    return e;
  }

  /**
   * Distributed mode: applies the assignment and the config topic. Starts the connector
   * instances and tasks assigned to this worker, stops what moved away or was deleted, restarts
   * what was reconfigured, pauses and resumes on target-state changes. Called after every
   * generation and every config topic change.
   */
  reconcile(): Promise<void> {
    const cluster = this.opts.cluster;
    if (!cluster) return Promise.resolve();
    return this.serial(async () => {
      const stored = new Map(this.storedConfigs());
      for (const [name, e] of [...this.connectors]) {
        const config = stored.get(name);
        const target = config ? this.storedTarget(name) : e.target;
        if (!config || JSON.stringify(config) !== JSON.stringify(e.config) || (target !== e.target && (target === 'STOPPED' || e.target === 'STOPPED'))) {
          const ranConnector = e.instance !== undefined || cluster.runsConnector(name);
          const ranTasks = [...e.tasks.keys()];
          await this.stopConnector(e, false);
          this.connectors.delete(name);
          if (!config && ranConnector) await this.publishDeleted(e);
          else await this.publishTasksGone(name, ranTasks);
          continue;
        }
        if (target !== e.target) {
          this.opts.logger.info({ connector: name }, `Setting connector ${name} state to ${target}`);
          e.target = target;
          for (const t of e.tasks.values()) if (target === 'PAUSED') t.pause(); else t.resume();
          if (e.instance && (e.state.state === 'RUNNING' || e.state.state === 'PAUSED')) this.setConnectorState(e, { state: target === 'PAUSED' ? 'PAUSED' : 'RUNNING' });
        }
        if (e.instance && !cluster.runsConnector(name)) {
          await this.stopConnectorInstance(e);
          await this.publishUnassigned(name, null);
        }
        const taskConfigs = this.storedTaskConfigs(name);
        const countChanged = taskConfigs.length !== e.taskConfigs.length;
        for (const id of [...e.tasks.keys()]) {
          if (!countChanged && cluster.runsTask(name, id) && JSON.stringify(taskConfigs[id]) === JSON.stringify(e.taskConfigs[id])) continue;
          await this.stopTask(e, id);
          await this.publishTasksGone(name, [id]);
          if (id < taskConfigs.length && !cluster.runsTask(name, id)) await this.publishUnassigned(name, id);
        }
        e.taskConfigs = taskConfigs;
      }
      for (const [name, config] of stored) {
        const taskConfigs = this.storedTaskConfigs(name);
        const mine = taskConfigs.map((_c, i) => i).filter((i) => cluster.runsTask(name, i));
        const runsConnector = cluster.runsConnector(name);
        let e = this.connectors.get(name);
        if (!e) {
          if (!runsConnector && mine.length === 0) continue;
          e = this.newEntry(name, config, this.storedTarget(name));
          e.taskConfigs = taskConfigs;
          this.connectors.set(name, e);
        }
        if (runsConnector && !e.instance) {
          if (e.target === 'STOPPED') {
            if (e.state.state !== 'STOPPED') this.setConnectorState(e, { state: 'STOPPED' });
          } else {
            this.opts.logger.info({ connector: name }, 'Starting connector assigned to this worker');
            await this.startConnectorInstance(e);
          }
        }
        if (e.target !== 'STOPPED') {
          for (const id of mine) {
            if (e.tasks.has(id)) continue;
            this.opts.logger.info({ connector: name, task: id }, 'Starting task assigned to this worker');
            this.startTask(e, id);
          }
        }
        if (!runsConnector && !e.instance && e.tasks.size === 0) this.connectors.delete(name);
      }
    });
  }

  /** Distributed mode: stops every local connector and task without touching the stored state (reconcile() starts the assigned ones again). */
  releaseAll(): Promise<void> {
    return this.serial(async () => {
      for (const [name, e] of [...this.connectors]) {
        await this.stopConnector(e, false);
        this.connectors.delete(name);
      }
    });
  }

  /** Distributed mode: a `restart-connector-<name>` record (Kafka Connect's restart request): restart the local parts it covers. */
  applyRestartRequest(name: string, request: { includeTasks: boolean; onlyFailed: boolean }): Promise<void> {
    return this.serial(async () => {
      const e = this.connectors.get(name);
      if (!e || e.target === 'STOPPED') return;
      if (e.instance && (!request.onlyFailed || e.state.state === 'FAILED')) {
        await this.stopConnectorInstance(e);
        await this.startConnectorInstance(e);
      }
      if (!request.includeTasks) return;
      for (const [id, s] of [...e.taskStates]) {
        if (request.onlyFailed && s.state !== 'FAILED') continue;
        if (e.tasks.has(id) || this.opts.cluster?.runsTask(name, id)) await this.restartTaskNow(e, id);
      }
    });
  }

  /** Kafka Connect's status records: `status-connector-<name>` and `status-task-<name>-<id>`. */
  private publishStatus(e: ConnectorEntry, task: number | null, s: StateInfo): void {
    const cluster = this.opts.cluster;
    if (!cluster) return;
    // Only the worker running the connector (or the task) reports it, and only while it exists.
    if (task === null ? !cluster.runsConnector(e.name) : !cluster.runsTask(e.name, task)) return;
    if (this.opts.store.get(CONFIGS, `connector-${e.name}`) === undefined) return;
    const key = task === null ? `status-connector-${e.name}` : `status-task-${e.name}-${task}`;
    const value = JSON.stringify({ state: s.state, trace: s.trace ?? null, worker_id: this.workerId, generation: cluster.generation() });
    this.opts.store.put([{ namespace: STATUS, key, value }]).catch((err: Error) => this.opts.logger.warn({ connector: e.name, err: err.message }, 'Could not publish status'));
  }

  /**
   * Distributed mode: work this worker stopped running (revoked, or the worker shuts down) shows as
   * UNASSIGNED — a "safe" write as Kafka Connect's: never over a status another worker wrote since.
   */
  private async publishUnassigned(name: string, task: number | null): Promise<void> {
    const cluster = this.opts.cluster;
    if (!cluster || this.opts.store.get(CONFIGS, `connector-${name}`) === undefined) return;
    const key = task === null ? `status-connector-${name}` : `status-task-${name}-${task}`;
    const current = this.opts.store.get(STATUS, key);
    if (!current || (JSON.parse(current) as { worker_id?: string }).worker_id !== this.workerId) return;
    const value = JSON.stringify({ state: 'UNASSIGNED', trace: null, worker_id: this.workerId, generation: cluster.generation() });
    await this.opts.store.put([{ namespace: STATUS, key, value }]).catch((err: Error) => this.opts.logger.warn({ connector: name, err: err.message }, 'Could not publish status'));
  }

  /** A task that no longer exists (fewer task configs, e.g. a stopped connector) loses its status record, as Kafka Connect's DESTROYED. */
  private async publishTasksGone(name: string, ids: number[]): Promise<void> {
    const count = this.storedTaskConfigs(name).length;
    const gone = ids.filter((id) => id >= count).map((id) => `status-task-${name}-${id}`).filter((key) => this.opts.store.get(STATUS, key) !== undefined);
    if (gone.length) await this.opts.store.put(gone.map((key) => ({ namespace: STATUS, key, value: null })));
  }

  private async publishDeleted(e: { name: string }): Promise<void> {
    if (!this.opts.cluster) return;
    const keys = [`status-connector-${e.name}`, ...this.opts.store.entries(STATUS, `status-task-${e.name}-`).map((x) => x.key)];
    await this.opts.store.put(keys.filter((key) => this.opts.store.get(STATUS, key) !== undefined).map((key) => ({ namespace: STATUS, key, value: null })));
  }

  private storedStatus(name: string): ConnectorStateInfo | null {
    const connector = this.opts.store.get(STATUS, `status-connector-${name}`);
    if (!connector) return null;
    const parse = (v: string) => JSON.parse(v) as { state: ConnectorStateName; trace: string | null; worker_id: string };
    const c = parse(connector);
    const config = this.storedConfig(name);
    const descriptor = config ? this.opts.plugins.find(config['connector.class'] ?? '', ['source', 'sink']) : undefined;
    const taskCount = this.opts.store.get(CONFIGS, `commit-${name}`) === undefined ? Number.POSITIVE_INFINITY : this.storedTaskConfigs(name).length;
    const prefix = `status-task-${name}-`;
    const tasks = this.opts.store.entries(STATUS, prefix)
      .map((x) => ({ id: Number(x.key.slice(prefix.length)), s: parse(x.value) }))
      .filter((t) => Number.isInteger(t.id) && t.id < taskCount)
      .sort((a, b) => a.id - b.id)
      .map((t) => withTrace({ id: t.id, state: t.s.state, worker_id: t.s.worker_id }, t.s.trace ?? undefined));
    return { name, connector: withTrace({ state: c.state, worker_id: c.worker_id }, c.trace ?? undefined), tasks, type: descriptor ? (descriptor.type as ConnectorType) : 'unknown' };
  }

  private masked(entry: ConnectorEntry, config: Record<string, string>): Record<string, string> {
    return maskSecrets(config, this.fullConfigDef(entry.descriptor));
  }

  connectorInfo(name: string): ConnectorInfo {
    const e = this.opts.cluster ? this.storedEntry(name) : this.entry(name);
    return { name, config: this.masked(e, e.config), tasks: e.taskConfigs.map((_c, task) => ({ connector: name, task })), type: e.type };
  }

  connectorConfig(name: string): Record<string, string> {
    const e = this.opts.cluster ? this.storedEntry(name) : this.entry(name);
    return this.masked(e, e.config);
  }

  connectorStatus(name: string): ConnectorStateInfo {
    if (this.opts.cluster) {
      const stored = this.storedConfig(name) !== undefined ? this.storedStatus(name) : null;
      if (!stored) throw new NotFoundError(`No status found for connector ${name}`);
      return stored;
    }
    const e = this.connectors.get(name);
    if (!e) throw new NotFoundError(`No status found for connector ${name}`);
    return {
      name,
      connector: withTrace({ state: e.state.state, worker_id: this.workerId }, e.state.trace),
      tasks: [...e.taskStates.entries()].sort(([a], [b]) => a - b).map(([id, s]) => withSnapshot(withTrace({ id, state: s.state, worker_id: this.workerId }, s.trace), e.tasks.get(id))),
      type: e.type,
    };
  }

  taskStatus(name: string, id: number): { id: number; state: ConnectorStateName; worker_id: string; trace?: string } {
    if (this.opts.cluster) {
      const stored = this.storedConfig(name) !== undefined ? this.storedStatus(name)?.tasks.find((t) => t.id === id) : undefined;
      if (!stored) throw new NotFoundError(`No status found for task ${name}-${id}`);
      return stored;
    }
    const e = this.connectors.get(name);
    const s = e?.taskStates.get(id);
    if (!e || !s) throw new NotFoundError(`No status found for task ${name}-${id}`);
    return withTrace({ id, state: s.state, worker_id: this.workerId }, s.trace);
  }

  taskInfos(name: string): Array<{ id: { connector: string; task: number }; config: Record<string, string> }> {
    const e = this.opts.cluster ? this.storedEntry(name) : this.entry(name);
    return e.taskConfigs.map((config, task) => ({ id: { connector: name, task }, config: this.masked(e, config) }));
  }

  // ---- config writes -------------------------------------------------------------------------

  /** POST /connectors and PUT /connectors/{name}/config. */
  putConnectorConfig(name: string, config: Record<string, string>, opts: { allowReplace: boolean; initialState?: TargetState }): Promise<{ created: boolean; info: ConnectorInfo }> {
    if (this.opts.cluster) return this.serial(() => this.putStoredConnectorConfig(name, config, opts));
    return this.serial(async () => {
      const existing = this.connectors.get(name);
      if (existing && !opts.allowReplace) throw new AlreadyExistsError(`Connector ${name} already exists`);
      const merged = existing ? restoreHiddenSecrets(config, existing.config, this.fullConfigDef(existing.descriptor)) : { ...config };
      await this.ensureValid(merged);
      const target = existing ? existing.target : (opts.initialState ?? 'STARTED');
      await this.opts.store.put([
        { namespace: CONFIGS, key: `connector-${name}`, value: JSON.stringify(merged) },
        { namespace: CONFIGS, key: `target-state-${name}`, value: JSON.stringify({ state: target }) },
      ]);
      if (existing) await this.stopConnector(existing, false);
      const entry = this.newEntry(name, merged, target);
      this.connectors.set(name, entry);
      await this.startConnector(entry);
      return { created: !existing, info: this.connectorInfo(name) };
    });
  }

  /**
   * Distributed mode: a config write only goes to the config topic, as in Kafka Connect; the
   * workers the connector and its tasks are assigned to pick it up from there (creation is
   * asynchronous: the new connector has no tasks yet when the request returns).
   */
  private async putStoredConnectorConfig(name: string, config: Record<string, string>, opts: { allowReplace: boolean; initialState?: TargetState }): Promise<{ created: boolean; info: ConnectorInfo }> {
    await this.opts.store.sync?.();
    const existing = this.storedConfig(name);
    if (existing !== undefined && !opts.allowReplace) throw new AlreadyExistsError(`Connector ${name} already exists`);
    const merged = existing !== undefined ? restoreHiddenSecrets(config, existing, this.fullConfigDef(this.newEntry(name, existing, 'STARTED').descriptor)) : { ...config };
    await this.ensureValid(merged);
    const writes = [{ namespace: CONFIGS, key: `connector-${name}`, value: JSON.stringify(merged) }];
    if (existing === undefined) writes.push({ namespace: CONFIGS, key: `target-state-${name}`, value: JSON.stringify({ state: opts.initialState ?? 'STARTED' }) });
    await this.opts.store.put(writes);
    return { created: existing === undefined, info: this.connectorInfo(name) };
  }

  /** PATCH /connectors/{name}/config: merge; null removes a key. */
  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    const e = this.opts.cluster ? this.storedEntry(name) : this.entry(name);
    const merged: Record<string, string> = { ...e.config };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k];
      else merged[k] = String(v);
    }
    return (await this.putConnectorConfig(name, merged, { allowReplace: true })).info;
  }

  /** DELETE /connectors/{name}; resolves with what the connector leaves on the source system (logged as a warning), or null. */
  async deleteConnector(name: string): Promise<string | null> {
    const notice = this.leftBehind(name, 'deleted');
    await this.removeConnector(name);
    return this.announce(name, notice);
  }

  private removeConnector(name: string): Promise<void> {
    if (this.opts.cluster) {
      return this.serial(async () => {
        this.storedEntry(name);
        await this.opts.store.put([
          { namespace: CONFIGS, key: `connector-${name}`, value: null },
          { namespace: CONFIGS, key: `target-state-${name}`, value: null },
        ]);
        await this.publishDeleted({ name });
      });
    }
    return this.serial(async () => {
      const e = this.entry(name);
      await this.stopConnector(e, false);
      this.connectors.delete(name);
      this.opts.metrics.removeWhere({ connector: name });
      await this.opts.store.put([
        { namespace: CONFIGS, key: `connector-${name}`, value: null },
        { namespace: CONFIGS, key: `target-state-${name}`, value: null },
      ]);
      await this.publishDeleted(e);
    });
  }

  private async ensureValid(config: Record<string, string>): Promise<void> {
    const infos = await this.validateConnectorConfig(config);
    if (infos.error_count === 0) return;
    const errors = infos.configs.flatMap((c) => c.value.errors.map((m) => `Invalid value for configuration ${c.value.name}: ${m}`));
    const type = config['connector.class'] ?? '<connector.class>';
    throw new BadRequestError(
      `Connector configuration is invalid and contains the following ${infos.error_count} error(s):\n${errors.join('\n')}\nYou can also find the above list of errors at the endpoint \`/connector-plugins/${type}/config/validate\``,
    );
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  private setTarget(e: ConnectorEntry, target: TargetState): Promise<void> {
    if (target !== e.target) this.opts.logger.info({ connector: e.name }, `Setting connector ${e.name} state to ${target}`);
    e.target = target;
    return this.opts.store.put([{ namespace: CONFIGS, key: `target-state-${e.name}`, value: JSON.stringify({ state: target }) }]);
  }

  /** Distributed mode: pause, resume and stop are target-state records; the connector's workers apply them. */
  private putStoredTarget(name: string, target: TargetState): Promise<void> {
    return this.serial(async () => {
      const current = this.storedEntry(name).target;
      if (target === 'PAUSED' && current === 'STOPPED') return;
      // As Kafka Connect, stopping also empties the task configs, so no task runs anywhere.
      const writes = target === 'STOPPED' ? [{ namespace: CONFIGS, key: `commit-${name}`, value: JSON.stringify({ tasks: 0 }) }] : [];
      await this.opts.store.put([...writes, { namespace: CONFIGS, key: `target-state-${name}`, value: JSON.stringify({ state: target }) }]);
    });
  }

  pauseConnector(name: string): Promise<void> {
    if (this.opts.cluster) return this.putStoredTarget(name, 'PAUSED');
    return this.serial(async () => {
      const e = this.entry(name);
      if (e.target === 'STOPPED') return; // Kafka Connect ignores pause of a stopped connector's tasks (none exist)
      await this.setTarget(e, 'PAUSED');
      for (const t of e.tasks.values()) t.pause();
      if (e.state.state === 'RUNNING') this.setConnectorState(e, { state: 'PAUSED' });
    });
  }

  resumeConnector(name: string): Promise<void> {
    if (this.opts.cluster) return this.putStoredTarget(name, 'STARTED');
    return this.serial(async () => {
      const e = this.entry(name);
      const wasStopped = e.target === 'STOPPED';
      await this.setTarget(e, 'STARTED');
      if (wasStopped) {
        await this.stopConnector(e, false);
        await this.startConnector(e);
        return;
      }
      for (const t of e.tasks.values()) t.resume();
      if (e.state.state === 'PAUSED') this.setConnectorState(e, { state: 'RUNNING' });
    });
  }

  /** What a source connector leaves behind when deleted or stopped (its leftBehind hook), or null. */
  private leftBehind(name: string, action: 'deleted' | 'stopped'): string | null {
    try {
      const e = this.known(name);
      return this.connectorObject(e, 'source')?.leftBehind?.(e.config, action) ?? null;
    } catch {
      return null; // an unknown connector fails the request itself
    }
  }

  private announce(name: string, notice: string | null): string | null {
    if (notice) this.opts.logger.warn({ connector: name }, notice);
    return notice;
  }

  /** PUT /connectors/{name}/stop; resolves with what stays on the source system while stopped (logged as a warning), or null. */
  async stopConnectorByRequest(name: string): Promise<string | null> {
    const notice = this.leftBehind(name, 'stopped');
    await this.stopByRequest(name);
    return this.announce(name, notice);
  }

  private stopByRequest(name: string): Promise<void> {
    if (this.opts.cluster) return this.putStoredTarget(name, 'STOPPED');
    return this.serial(async () => {
      const e = this.entry(name);
      await this.setTarget(e, 'STOPPED');
      await this.stopConnector(e, false);
      e.taskConfigs = [];
      e.taskStates.clear();
      this.setConnectorState(e, { state: 'STOPPED' });
    });
  }

  /** POST /connectors/{name}/restart. Returns null for the plain (204) form. */
  restartConnector(name: string, opts: { includeTasks: boolean; onlyFailed: boolean }): Promise<ConnectorStateInfo | null> {
    if (this.opts.cluster) return this.serial(() => this.requestRestart(name, opts));
    return this.serial(async () => {
      const e = this.entry(name);
      const plain = !opts.includeTasks && !opts.onlyFailed;
      const restartConnector = !opts.onlyFailed || e.state.state === 'FAILED';
      const tasksToRestart = opts.includeTasks ? [...e.taskStates.entries()].filter(([, s]) => !opts.onlyFailed || s.state === 'FAILED').map(([id]) => id) : [];
      if (plain) {
        await this.restartConnectorInstance(e);
        return null;
      }
      const preview = this.connectorStatus(name);
      if (restartConnector) preview.connector.state = 'RESTARTING';
      for (const t of preview.tasks) if (tasksToRestart.includes(t.id)) t.state = 'RESTARTING';
      if (restartConnector) {
        if (tasksToRestart.length === e.taskStates.size && opts.includeTasks) {
          await this.stopConnector(e, false);
          await this.startConnector(e);
          return preview;
        }
        await this.restartConnectorInstance(e);
      }
      for (const id of tasksToRestart) await this.restartTaskNow(e, id);
      return preview;
    });
  }

  /**
   * Distributed mode: writes Kafka Connect's restart request record `restart-connector-<name>`;
   * every worker restarts the parts of the connector it runs (applyRestartRequest).
   */
  private async requestRestart(name: string, opts: { includeTasks: boolean; onlyFailed: boolean }): Promise<ConnectorStateInfo | null> {
    this.storedEntry(name);
    const status = this.storedStatus(name);
    if (!status) throw new RestError(409, 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)');
    await this.opts.store.put([{ namespace: CONFIGS, key: `restart-connector-${name}`, value: JSON.stringify({ 'include-tasks': opts.includeTasks, 'only-failed': opts.onlyFailed }) }]);
    if (!opts.includeTasks && !opts.onlyFailed) return null;
    if (!opts.onlyFailed || status.connector.state === 'FAILED') status.connector.state = 'RESTARTING';
    if (opts.includeTasks) for (const t of status.tasks) if (!opts.onlyFailed || t.state === 'FAILED') t.state = 'RESTARTING';
    return status;
  }

  restartTask(name: string, id: number): Promise<void> {
    return this.serial(async () => {
      if (this.opts.cluster && !this.opts.cluster.runsTask(name, id)) {
        if (id >= this.storedEntry(name).taskConfigs.length) throw new NotFoundError(`Unknown task: ${name}-${id}`);
        throw new RestError(409, 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)');
      }
      const e = this.entry(name);
      if (!e.taskStates.has(id) || id >= e.taskConfigs.length) throw new NotFoundError(`Unknown task: ${name}-${id}`);
      await this.restartTaskNow(e, id);
    });
  }

  private async restartConnectorInstance(e: ConnectorEntry): Promise<void> {
    if (e.target === 'STOPPED') return;
    // Only the connector object restarts; if its task configs change, tasks are reconfigured.
    try {
      await e.instance?.stop();
    } catch (err) {
      this.opts.logger.warn({ connector: e.name, err: (err as Error).message }, 'Error stopping connector');
    }
    const before = JSON.stringify(e.taskConfigs);
    await this.startConnectorInstance(e);
    if (e.state.state !== 'FAILED' && JSON.stringify(e.taskConfigs) !== before) {
      await this.stopTasks(e);
      await this.startTasks(e);
    }
  }

  private async restartTaskNow(e: ConnectorEntry, id: number): Promise<void> {
    const t = e.tasks.get(id);
    if (t) await t.stop(this.opts.worker.getLong('task.shutdown.graceful.timeout.ms'));
    e.tasks.delete(id);
    this.startTask(e, id);
  }

  /** Connector configs are stored raw; placeholders resolve only here, when a connector or task starts (or a config is validated). */
  private resolve(config: Record<string, string>, e?: ConnectorEntry, slot = 'connector'): ResolvedConfig {
    const resolved = this.providers.transform(config);
    if (e) {
      for (const u of resolved.unresolved) this.opts.logger.warn({ connector: e.name, key: u.key, placeholder: u.placeholder }, `Config "${u.key}": placeholder ${u.placeholder} left as written: ${u.reason}`);
      e.redactors.set(slot, resolved.redact);
    }
    return resolved;
  }

  /** A connector or task logger that hides resolved values (plain when its configs hold no placeholder). */
  private redacting(logger: Logger, e: ConnectorEntry, ...configs: Array<Record<string, string>>): Logger {
    return configs.some((c) => Object.values(c).some(hasPlaceholder)) ? redactingLogger(logger, (text) => e.redact(text)) : logger;
  }

  private setConnectorState(e: ConnectorEntry, s: StateInfo): void {
    if (s.trace) s = { ...s, trace: e.redact(s.trace) };
    e.state = s;
    this.publishStatus(e, null, s);
  }

  private setTaskState(e: ConnectorEntry, id: number, s: StateInfo): void {
    if (s.trace) s = { ...s, trace: e.redact(s.trace) };
    e.taskStates.set(id, s);
    this.publishStatus(e, id, s);
  }

  private async startConnector(e: ConnectorEntry): Promise<void> {
    if (e.target === 'STOPPED') {
      this.setConnectorState(e, { state: 'STOPPED' });
      return;
    }
    this.opts.logger.info({ connector: e.name }, `Starting connector ${e.name}`);
    await this.startConnectorInstance(e);
    if (e.state.state !== 'FAILED') await this.startTasks(e);
  }

  private async startConnectorInstance(e: ConnectorEntry): Promise<void> {
    const { logger, metrics } = this.opts;
    try {
      logger.info({ connector: e.name }, `Creating connector ${e.name} of type ${e.config['connector.class']}`);
      if (!e.descriptor) throw new ConnectException(`Failed to find any class that implements Connector and which name matches ${e.config['connector.class']}`);
      const instance = e.descriptor.create() as Connector;
      e.instance = instance;
      logger.info({ connector: e.name }, `Instantiated connector ${e.name} with version ${e.descriptor.version} of type ${e.descriptor.className}`);
      const resolved = this.resolve(e.config, e).data;
      const connectorLogger = this.redacting(this.loggerFor(`tributary.connector.${e.name}`, { connector: e.name }), e, e.config);
      instance.initialize?.({
        connectorName: e.name,
        logger: connectorLogger,
        worker: this.workerContext,
        requestTaskReconfiguration: () => {
          void this.serial(async () => {
            if (e.target === 'STOPPED' || !e.instance) return;
            const next = await this.computeTaskConfigs(e);
            if (this.opts.cluster) {
              // The workers running the tasks restart them when the new configs reach the config topic.
              await this.publishTaskConfigs(e.name, next);
              return;
            }
            if (JSON.stringify(next) !== JSON.stringify(e.taskConfigs)) {
              await this.stopTasks(e);
              await this.startTasks(e);
            }
          });
        },
        raiseError: (err) => this.setConnectorState(e, { state: 'FAILED', trace: traceOf(err) }),
      });
      await instance.start(resolved);
      const taskConfigs = await this.computeTaskConfigs(e);
      if (this.opts.cluster) {
        await this.publishTaskConfigs(e.name, taskConfigs);
        e.taskConfigs = this.storedTaskConfigs(e.name);
      } else {
        e.taskConfigs = taskConfigs;
      }
      this.setConnectorState(e, { state: e.target === 'PAUSED' ? 'PAUSED' : 'RUNNING' });
      this.registerConnectorMetrics(e);
      this.startups.connector.success++;
      logger.info({ connector: e.name }, `Finished creating connector ${e.name}`);
    } catch (err) {
      this.startups.connector.failure++;
      logger.error({ connector: e.name, err: e.redact((err as Error).message) }, 'Failed to start connector');
      this.setConnectorState(e, { state: 'FAILED', trace: traceOf(err) });
      metrics.register(new MBean(MetricGroups.connector, { connector: e.name }).define('status', () => 'failed'));
      return;
    }
  }

  private async computeTaskConfigs(e: ConnectorEntry): Promise<Array<Record<string, string>>> {
    const maxTasks = Number(e.config['tasks.max'] ?? 1);
    const configs = await e.instance!.taskConfigs(maxTasks);
    if (configs.length > maxTasks && (e.config['tasks.max.enforce'] ?? 'true') !== 'false') {
      throw new ConnectException(`The connector ${e.name} has generated ${configs.length} tasks, which is greater than ${maxTasks}, the maximum number of tasks it is configured to create.`);
    }
    // As Kafka Connect's AbstractHerder.reverseTransform: a key whose raw connector value holds a
    // placeholder gets that raw value back, so task configs (stored, shown by GET …/tasks) never
    // carry a resolved secret; tasks resolve them when they start.
    const withPlaceholders = Object.keys(e.config).filter((k) => hasPlaceholder(e.config[k]));
    return configs.map((c) => {
      const out = { ...c };
      for (const k of withPlaceholders) if (k in out) out[k] = e.config[k];
      return out;
    });
  }

  private async startTasks(e: ConnectorEntry): Promise<void> {
    for (let i = 0; i < e.taskConfigs.length; i++) this.startTask(e, i);
  }

  private startTask(e: ConnectorEntry, id: number): void {
    const { worker, plugins, transport, metrics } = this.opts;
    const taskLogger = this.redacting(this.loggerFor(`tributary.connector.${e.name}.task.${id}`, { connector: e.name, task: id }), e, e.config, e.taskConfigs[id] ?? {});
    let started = false;
    // A task's startup succeeded once it first runs (or starts paused), failed if it fails before that.
    const listener = (_id: unknown, state: ConnectorStateName, trace?: string) => {
      this.setTaskState(e, id, { state, trace });
      if (!started && (state === 'RUNNING' || state === 'PAUSED')) {
        started = true;
        this.startups.task.success++;
      } else if (!started && state === 'FAILED') {
        started = true;
        this.startups.task.failure++;
      }
    };
    this.setTaskState(e, id, { state: 'UNASSIGNED' });
    const taskMetrics = new TaskMetrics(() => e.taskStates.get(id)?.state ?? 'UNASSIGNED');
    const errorCounters = new TaskErrorCounters();
    try {
      const taskConfig = this.resolve(e.taskConfigs[id], e, `task-${id}`).data;
      const connectorConfig = this.resolve(e.config, e).data;
      const keyConverter = createConverter('key', connectorConfig, worker, plugins);
      const valueConverter = createConverter('value', connectorConfig, worker, plugins);
      const headerConverter = createHeaderConverter(connectorConfig, worker, plugins);
      const tolerance = ToleranceOperator.fromConfig(connectorConfig, taskLogger, errorCounters);
      const flushMs = worker.getLong('offset.flush.interval.ms');
      const onTopicUsed = (topic: string) => this.recordActiveTopic(e.name, topic);
      // Distributed mode: a worker may run a task whose connector runs elsewhere; the task class comes from a fresh connector object.
      if (!e.instance && !e.descriptor) throw new ConnectException(`Failed to find any class that implements Connector and which name matches ${e.config['connector.class']}`);
      const connector = e.instance ?? (e.descriptor!.create() as Connector);
      let task: WorkerTask;
      const wrappedListener = (tid: { connector: string; task: number }, state: ConnectorStateName, trace?: string) => {
        listener(tid, state, trace);
        taskMetrics.transition(state);
      };
      // As Kafka Connect's Worker.startTask.
      taskLogger.info(`Creating task ${e.name}-${id}`);
      const instantiated = (t: { version?(): string; constructor: { name: string } }) => taskLogger.info(`Instantiated task ${e.name}-${id} with version ${typeof t.version === 'function' ? t.version() : 'unknown'} of type ${t.constructor.name}`);
      if (e.type === 'source') {
        const sourceMetrics = new SourceTaskMetrics();
        const sourceTask = (connector as Extract<Connector, { type: 'source' }>).createTask();
        instantiated(sourceTask);
        task = new WorkerSourceTask({ connector: e.name, task: id }, taskLogger, wrappedListener, {
          task: sourceTask,
          worker: this.workerContext,
          taskConfig,
          chain: buildTransformationChain<SourceRecord>(connectorConfig, plugins),
          keyConverter, valueConverter, headerConverter,
          sender: transport.createSender(`connector-producer-${e.name}-${id}`, {
            topicCreation: topicCreationOf(connectorConfig, worker.getBoolean('topic.creation.enable')),
            overrides: clientOverrides(connectorConfig, 'producer', overridePolicyOf(worker.getString('connector.client.config.override.policy'))),
            // Kafka Connect's transactional id for a source task; a new instance of the task fences any zombie.
            transactionalId: this.opts.cluster?.exactlyOnce ? `${this.opts.cluster.exactlyOnce.transactionalIdPrefix}-${e.name}-${id}` : undefined,
            transactionTimeoutMs: this.opts.cluster?.exactlyOnce ? transactionTimeoutMs(transactionBoundaryOf(connectorConfig, flushMs)) : undefined,
          }),
          offsets: this.offsets,
          tolerance,
          offsetFlushIntervalMs: flushMs,
          transactionBoundary: this.opts.cluster?.exactlyOnce ? transactionBoundaryOf(connectorConfig, flushMs) : undefined,
          metrics: { task: taskMetrics, source: sourceMetrics },
          onTopicUsed,
          connectorMetrics: {
            register: (domain, type, tags, attributes) => {
              const bean = new MBean(type, tags, domain);
              bean.owner = { connector: e.name, task: String(id) };
              for (const [name, read] of Object.entries(attributes)) bean.define(name, read);
              metrics.register(bean);
              if (domain.startsWith('debezium.') && tags.context === 'snapshot') SnapshotLog.follow(taskLogger, () => bean.read(), () => metrics.list().includes(bean));
            },
          },
        });
        metrics.register(sourceMetrics.bean(e.name, id));
      } else {
        const sinkMetrics = new SinkTaskMetrics();
        const taskCount = e.taskConfigs.length;
        const policy = overridePolicyOf(worker.getString('connector.client.config.override.policy'));
        const consumerOverrides = clientOverrides(connectorConfig, 'consumer', policy);
        const sinkTask = (connector as Extract<Connector, { type: 'sink' }>).createTask();
        instantiated(sinkTask);
        task = new WorkerSinkTask({ connector: e.name, task: id }, taskLogger, wrappedListener, {
          task: sinkTask,
          worker: this.workerContext,
          taskConfig,
          chain: buildTransformationChain<SinkRecord>(connectorConfig, plugins),
          keyConverter, valueConverter, headerConverter,
          receiver: transport.createReceiver(`connect-${e.name}`, `connector-consumer-${e.name}-${id}`, { ...startPosition(connectorConfig), member: { index: id, count: taskCount }, overrides: consumerOverrides }),
          tolerance,
          dlq: DeadLetterQueueReporter.fromConfig(connectorConfig, () => transport.createSender(`connector-dlq-producer-${e.name}-${id}`, { overrides: clientOverrides(connectorConfig, 'producer', policy) }), { connector: e.name, task: id }, errorCounters),
          offsetFlushIntervalMs: flushMs,
          maxPollRecords: Number(consumerOverrides['max.poll.records'] ?? worker.getInt('consumer.max.poll.records')),
          subscription: subscriptionOf(connectorConfig),
          endOffset: (tp) => transport.admin.endOffset(tp),
          metrics: { task: taskMetrics, sink: sinkMetrics },
          onTopicUsed,
        });
        metrics.register(sinkMetrics.bean(e.name, id));
      }
      metrics.register(taskMetrics.bean(e.name, id));
      metrics.register(errorCounters.bean(e.name, id));
      e.tasks.set(id, task);
      task.start(e.target === 'PAUSED');
    } catch (err) {
      this.startups.task.failure++;
      taskLogger.error({ err: (err as Error).message }, 'Failed to start task');
      this.setTaskState(e, id, { state: 'FAILED', trace: traceOf(err) });
    }
  }

  /** Every existing partition a sink connector subscribes to. */
  private async subscribedPartitions(config: Record<string, string>): Promise<TopicPartition[]> {
    const sub = subscriptionOf(config);
    const all: TopicPartition[] = [];
    for (const t of await this.opts.transport.admin.listTopics()) {
      if (sub.topics.includes(t.name) || (sub.regex && sub.regex.test(t.name))) {
        for (let p = 0; p < t.partitions; p++) all.push({ topic: t.name, partition: p });
      }
    }
    return all.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }

  private async stopTasks(e: ConnectorEntry): Promise<void> {
    const timeout = this.opts.worker.getLong('task.shutdown.graceful.timeout.ms');
    await Promise.all([...e.tasks.values()].map((t) => t.stop(timeout)));
    e.tasks.clear();
    e.taskStates.clear();
  }

  /** Distributed mode: stops one local task (it moved to another worker, or its config changed). */
  private async stopTask(e: ConnectorEntry, id: number): Promise<void> {
    await e.tasks.get(id)?.stop(this.opts.worker.getLong('task.shutdown.graceful.timeout.ms'));
    e.tasks.delete(id);
    e.taskStates.delete(id);
    this.opts.metrics.removeWhere({ connector: e.name, task: String(id) });
  }

  /** Distributed mode: stops the connector instance only (it moved to another worker); its tasks keep running. */
  private async stopConnectorInstance(e: ConnectorEntry): Promise<void> {
    try {
      await e.instance?.stop();
    } catch (err) {
      this.opts.logger.warn({ connector: e.name, err: (err as Error).message }, 'Error while stopping connector');
    }
    e.instance = undefined;
    e.state = { state: 'UNASSIGNED' };
  }

  private async stopConnector(e: ConnectorEntry, _deleting: boolean): Promise<void> {
    await this.stopTasks(e);
    if (e.instance) {
      this.opts.logger.info({ connector: e.name }, `Stopping connector ${e.name}`);
      const instance = e.instance;
      const stopping = (async () => instance.stop())().catch((err: unknown) => {
        this.opts.logger.warn({ connector: e.name, err: (err as Error).message }, 'Error while stopping connector');
      });
      const timeoutMs = this.opts.worker.getLong('task.shutdown.graceful.timeout.ms');
      // As Kafka Connect's WorkerConnector: a connector that does not stop in time is reported and left behind.
      if (!(await settlesWithin(stopping, timeoutMs))) this.opts.logger.warn({ connector: e.name, timeoutMs }, `Connector ${e.name} did not stop within task.shutdown.graceful.timeout.ms=${timeoutMs}; continuing without it`);
      e.instance = undefined;
    }
    this.opts.metrics.removeWhere({ connector: e.name });
  }

  // ---- offsets -------------------------------------------------------------------------------

  /** The connector as this worker knows it: locally (standalone), or from the config topic (distributed). */
  private known(name: string): ConnectorEntry {
    return this.opts.cluster ? this.storedEntry(name) : this.entry(name);
  }

  async connectorOffsets(name: string): Promise<{ offsets: Array<{ partition: Record<string, unknown>; offset: Record<string, unknown> | null }> }> {
    const e = this.known(name);
    if (e.type === 'sink') {
      const offsets = await this.opts.transport.admin.groupOffsets(`connect-${name}`);
      return { offsets: offsets.map((o) => ({ partition: { kafka_topic: o.topic, kafka_partition: o.partition }, offset: { kafka_offset: o.offset } })) };
    }
    // A source partition made from a provider's value (e.g. a file name) shows the placeholder.
    const redact = this.providers.transform(e.config).redact;
    return { offsets: JSON.parse(redact(JSON.stringify(this.offsets.all(name)), true)) as Array<{ partition: Record<string, unknown>; offset: Record<string, unknown> | null }> };
  }

  private ensureStoppedForOffsets(e: ConnectorEntry): void {
    if (e.target !== 'STOPPED' || e.tasks.size > 0 || (this.opts.cluster && e.taskConfigs.length > 0)) {
      throw new BadRequestError(
        `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${e.name}/stop' endpoint`,
      );
    }
  }

  /** Distributed mode: offset changes touch no local state and wait for other workers' tasks to stop, so they bypass the herder queue. */
  private offsetChange<T>(fn: () => Promise<T>): Promise<T> {
    return this.opts.cluster ? fn() : this.serial(fn);
  }

  alterOffsets(name: string, body: unknown): Promise<{ message: string; redelivery?: { records: number; partitions: Array<Record<string, unknown>> } }> {
    return this.offsetChange(async () => {
      const e = this.known(name);
      if (body && typeof body === 'object' && 'timestamp' in body) return this.replayFrom(e, body as { timestamp: unknown; topics?: unknown });
      const offsets = (body as { offsets?: unknown })?.offsets;
      if (!Array.isArray(offsets) || offsets.length === 0) throw new BadRequestError('Partitions / offsets need to be provided for an alter offsets request');
      this.ensureStoppedForOffsets(e);
      if (e.type === 'sink') {
        const changes = offsets.map((o: { partition?: Record<string, unknown>; offset?: Record<string, unknown> | null }) => parseSinkOffset(o));
        await vetSinkOffsets(name, this.connectorObject(e, 'sink'), e.config, changes, await this.opts.transport.admin.listTopics());
        await this.whileSinkGroupEmpties(() => this.opts.transport.admin.alterGroupOffsets(`connect-${name}`, changes));
      } else {
        const changes = offsets.map((o: { partition?: unknown; offset?: unknown }) => {
          if (!o || typeof o.partition !== 'object' || o.partition === null || Array.isArray(o.partition)) throw new BadRequestError('Source partitions must be JSON objects, e.g. {"filename":"/tmp/in.txt"}');
          if (o.offset !== null && (typeof o.offset !== 'object' || Array.isArray(o.offset))) throw new BadRequestError('Source offsets must be JSON objects or null, e.g. {"position":0}');
          return { partition: o.partition as SourcePartition, offset: (o.offset ?? null) as SourceOffset | null };
        });
        await vetSourceOffsets(name, this.connectorObject(e, 'source'), e.config, changes);
        const writes = changes.map((c) => offsetWrite(name, c.partition, c.offset));
        await this.tasksGone(e);
        await this.offsets.write(writes);
      }
      return { message: 'The offsets for this connector have been altered successfully' };
    });
  }

  /** A fresh object of the connector's class, for its alterOffsets hook (the connector itself is stopped). */
  private connectorObject<T extends 'source' | 'sink'>(e: ConnectorEntry, type: T): Extract<Connector, { type: T }> | undefined {
    const created = e.descriptor?.type === type ? e.descriptor.create() as Connector : undefined;
    return created?.type === type ? created as Extract<Connector, { type: T }> : undefined;
  }

  /**
   * Distributed mode: a stopped source's tasks stop on their own workers (committing their offsets
   * a last time) shortly after the target state is written; offsets change once they are gone.
   */
  private async tasksGone(e: ConnectorEntry): Promise<void> {
    if (!this.opts.cluster) return;
    const deadline = Date.now() + 30_000;
    while (this.opts.store.entries(STATUS, `status-task-${e.name}-`).length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      await this.opts.store.sync?.();
    }
  }

  /**
   * Distributed mode: a stopped sink's tasks stop on their own workers shortly after the target
   * state is written; Kafka refuses to change a consumer group's offsets until they have left it.
   */
  private async whileSinkGroupEmpties(change: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + (this.opts.cluster ? 30_000 : 0);
    for (;;) {
      try {
        return await change();
      } catch (err) {
        if (Date.now() >= deadline || !/running instances|NON_EMPTY_GROUP|not empty/i.test(`${(err as Error).message} ${JSON.stringify((err as { groups?: unknown }).groups ?? '')}`)) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /** PATCH /connectors/{name}/offsets with {"timestamp": …}: replay a sink from a point in time. */
  private async replayFrom(e: ConnectorEntry, body: { timestamp: unknown; topics?: unknown }): Promise<{ message: string; redelivery: { records: number; partitions: Array<Record<string, unknown>> } }> {
    if (e.type !== 'sink') {
      this.ensureStoppedForOffsets(e);
      const source = this.opts.plugins.find(e.config['connector.class'] ?? '', ['source'])?.create() as SourceConnector | undefined;
      return replaySourceFrom(e.name, source, this.resolve(e.config).data, body.timestamp, (writes) => this.offsets.write(writes));
    }
    const target = parseReplayTarget(body.timestamp);
    this.ensureStoppedForOffsets(e);
    if (body.topics !== undefined && (!Array.isArray(body.topics) || body.topics.some((t) => typeof t !== 'string'))) throw new BadRequestError('"topics" must be an array of topic names');
    const only = body.topics as string[] | undefined;
    const partitions = (await this.subscribedPartitions(this.resolve(e.config).data)).filter((tp) => !only || only.includes(tp.topic));
    const plan = await planReplay(this.opts.transport.admin, partitions, target);
    await this.whileSinkGroupEmpties(() => this.opts.transport.admin.alterGroupOffsets(`connect-${e.name}`, plan.partitions.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset }))));
    const when = target.kind === 'timestamp' ? new Date(target.ms).toISOString() : target.kind;
    this.opts.logger.info({ connector: e.name, target: when, records: plan.records }, 'Sink offsets moved for replay');
    return {
      message: `The offsets for this connector have been altered successfully: ${plan.records} record(s) in ${plan.partitions.length} partition(s) will be re-delivered from ${when} when the connector resumes`,
      redelivery: { records: plan.records, partitions: plan.partitions.map((p) => ({ kafka_topic: p.topic, kafka_partition: p.partition, kafka_offset: p.offset, records: p.records })) },
    };
  }

  resetOffsets(name: string): Promise<{ message: string }> {
    return this.offsetChange(async () => {
      const e = this.known(name);
      this.ensureStoppedForOffsets(e);
      if (e.type === 'sink') await this.whileSinkGroupEmpties(() => this.opts.transport.admin.deleteGroup(`connect-${name}`));
      else {
        await this.tasksGone(e);
        await this.offsets.write(this.offsets.all(name).map((o) => offsetWrite(name, o.partition, null)));
      }
      return { message: 'The offsets for this connector have been reset successfully' };
    });
  }

  // ---- topics --------------------------------------------------------------------------------

  private recordActiveTopic(connector: string, topic: string): void {
    if (!this.opts.worker.getBoolean('topic.tracking.enable')) return;
    const key = `status-topic-${topic}:connector-${connector}`;
    if (this.opts.store.get(STATUS, key) !== undefined) return;
    void this.opts.store.put([{ namespace: STATUS, key, value: JSON.stringify({ topic: { name: topic, connector, task: 0, discoverTimestamp: Date.now() } }) }]);
  }

  activeTopics(name: string): Record<string, { topics: string[] }> {
    if (!this.opts.worker.getBoolean('topic.tracking.enable')) throw new RestError(403, 'Topic tracking is disabled.');
    const e = this.known(name);
    // A topic name made from a provider's value shows the placeholder, not the value.
    const redact = this.providers.transform(e.config).redact;
    const topics = this.opts.store.entries(STATUS, 'status-topic-')
      .map((x) => JSON.parse(x.value) as { topic: { name: string; connector: string } })
      .filter((t) => t.topic.connector === name)
      .map((t) => redact(t.topic.name, true))
      .sort();
    return { [name]: { topics } };
  }

  async resetActiveTopics(name: string): Promise<void> {
    if (!this.opts.worker.getBoolean('topic.tracking.enable')) throw new RestError(403, 'Topic tracking is disabled.');
    if (!this.opts.worker.getBoolean('topic.tracking.allow.reset')) throw new RestError(403, 'Topic tracking reset is disabled.');
    this.known(name);
    const writes = this.opts.store.entries(STATUS, 'status-topic-')
      .filter((e) => (JSON.parse(e.value) as { topic: { connector: string } }).topic.connector === name)
      .map((e) => ({ namespace: STATUS, key: e.key, value: null }));
    await this.opts.store.put(writes);
  }

  // ---- plugins and validation -----------------------------------------------------------------

  private fullConfigDef(descriptor: PluginDescriptor | undefined): ConfigDef {
    const base = descriptor?.type === 'sink' ? sinkConnectorConfigDef() : descriptor?.type === 'source' ? sourceConnectorConfigDef() : commonConnectorConfigDef();
    if (descriptor && (descriptor.type === 'source' || descriptor.type === 'sink')) base.merge(descriptor.create().config());
    return base;
  }

  pluginConfig(pluginName: string): ConfigKeyInfo[] {
    const d = this.opts.plugins.findAny(pluginName);
    if (!d) throw new NotFoundError(`Unknown plugin ${pluginName}.`);
    const def = d.type === 'source' || d.type === 'sink' ? d.create().config() : (d.create() as { config(): ConfigDef }).config();
    return [...def.keys.values()].map(toKeyInfo);
  }

  listPlugins(types: PluginType[]): Array<{ class: string; type: PluginType; version: string }> {
    return this.opts.plugins.list(types).map((d) => ({ class: d.className, type: d.type, version: d.version }));
  }

  async validateConnectorConfig(config: Record<string, string>, expectedPlugin?: string): Promise<ConfigInfos> {
    const className = config['connector.class'];
    const descriptor = className ? this.opts.plugins.find(className, ['source', 'sink']) : undefined;
    if (expectedPlugin !== undefined) {
      const expected = this.opts.plugins.find(expectedPlugin, ['source', 'sink']);
      if (!expected) throw new BadRequestError(`Failed to find any class that implements Connector and which name matches ${expectedPlugin}, available connectors are: ${this.opts.plugins.list(['source', 'sink']).map((d) => d.className).join(', ')}`);
      if (className !== undefined && expected !== descriptor) throw new BadRequestError(`Included connector type ${className} does not match request type ${expectedPlugin}`);
    }
    const def = this.fullConfigDef(descriptor);
    const extraErrors = new Map<string, string[]>();
    const addError = (key: string, msg: string) => extraErrors.set(key, [...(extraErrors.get(key) ?? []), msg]);
    // As Kafka Connect, the values are validated as the connector would see them (placeholders
    // resolved); unlike it, no resolved value is ever echoed: values shown are the raw ones and
    // every message goes through the redactor.
    const transformed = this.resolve(config);
    const resolved = transformed.data;
    const values: ConfigValue[] = def.validate(resolved);
    if (className && !descriptor) addError('connector.class', `Failed to find any class that implements Connector and which name matches ${className}. Available connectors: ${this.opts.plugins.list(['source', 'sink']).map((d) => d.className).join(', ')}`);
    if (descriptor) {
      const instance = descriptor.create() as Connector;
      if (instance.validate) {
        let validated: ConfigValue[];
        try {
          validated = instance.validate(resolved, this.workerContext);
        } catch (err) {
          // Propagates as Kafka Connect's does, but without a resolved value in its message.
          if (err instanceof Error) err.message = transformed.redact(err.message);
          throw err;
        }
        for (const v of validated) for (const m of v.errorMessages) addError(v.name, m);
      }
      if (descriptor.type === 'sink') {
        const topics = (resolved.topics ?? '').trim();
        const regex = (resolved['topics.regex'] ?? '').trim();
        if (topics && regex) addError('topics', 'topics and topics.regex are mutually exclusive options, but both are set.');
        if (!topics && !regex) addError('topics', 'Must configure one of topics or topics.regex');
        if (resolved['tributary.start.timestamp']) {
          try {
            parseReplayTarget(resolved['tributary.start.timestamp'], 'tributary.start.timestamp');
          } catch (err) {
            addError('tributary.start.timestamp', (err as Error).message);
          }
        }
        const dlq = (resolved['errors.deadletterqueue.topic.name'] ?? '').trim();
        if (dlq && topics.split(',').map((t) => t.trim()).includes(dlq)) addError('errors.deadletterqueue.topic.name', `The dead letter queue topic '${dlq}' may not be included in the list of topics ('topics=${topics}') consumed by the connector`);
        if (dlq && regex && new RegExp(`^(?:${regex})$`).test(dlq)) addError('errors.deadletterqueue.topic.name', `The dead letter queue topic '${dlq}' may not be matched by the regex for the topics ('topics.regex=${regex}') consumed by the connector`);
      }
    }
    for (const [key, message] of topicNameErrors(resolved, new Set(def.keys.keys()))) addError(key, message);
    if (descriptor?.type === 'source') {
      try {
        TopicCreationRules.fromConfig(resolved);
      } catch (err) {
        addError((err as { key?: string }).key ?? 'topic.creation.groups', (err as Error).message);
      }
      if (this.opts.cluster?.exactlyOnce) {
        // As Kafka Connect, these keys matter only on a worker with exactly.once.source.support=enabled.
        for (const [key, message] of transactionBoundaryErrors(resolved, descriptor.create() as Extract<Connector, { type: 'source' }>)) addError(key, message);
        if ((resolved['offsets.storage.topic'] ?? '').trim()) addError('offsets.storage.topic', 'A per-connector offsets.storage.topic is not supported yet: remove it (offsets go to the worker\'s offset.storage.topic)');
        if ((resolved['exactly.once.support'] ?? 'requested').trim() === 'required') {
          const support = (descriptor.create() as Extract<Connector, { type: 'source' }>).exactlyOnceSupport?.(resolved);
          if (support !== 'SUPPORTED') addError('exactly.once.support', `The connector does not ${support === 'UNSUPPORTED' ? 'support' : 'declare support for'} exactly-once semantics with this configuration, but exactly.once.support=required`);
        }
      }
    }
    for (const { key, message } of clientOverrideErrors(resolved, overridePolicyOf(this.opts.worker.getString('connector.client.config.override.policy')))) addError(key, message);
    for (const key of ['key.converter', 'value.converter'] as const) {
      if (resolved[key] && !this.opts.plugins.find(resolved[key], 'converter')) addError(key, `Failed to find any class that implements Converter and which name matches ${resolved[key]}`);
    }
    if (resolved['header.converter'] && !this.opts.plugins.find(resolved['header.converter'], ['header_converter', 'converter'])) addError('header.converter', `Failed to find any class that implements HeaderConverter and which name matches ${resolved['header.converter']}`);
    try {
      buildTransformationChain(resolved, this.opts.plugins).close();
    } catch (err) {
      const key = (err as { key?: string }).key ?? 'transforms';
      addError(def.keys.has(key) ? key : 'transforms', (err as Error).message);
    }
    // A message about a key whose value came from a provider could show the value, or something
    // derived from it (a normalised path): it names the key, the placeholder and what is expected.
    const messagesOf = (key: string, messages: string[]) => messages.map((m) => {
      if (!transformed.resolvedKeys.has(key)) return transformed.redact(m);
      const k = def.keys.get(key);
      const expected = k ? ` (expected: ${k.type}${k.validator?.description ? `, valid values ${k.validator.description}` : ''})` : '';
      return `Invalid value ${config[key]} for configuration ${key}: the value its config provider resolved is refused${expected}; the reason is not shown because it would reveal the resolved value`;
    });
    const configs = values.map((v) => {
      const key = def.keys.get(v.name)!;
      const errors = messagesOf(v.name, [...v.errorMessages, ...(extraErrors.get(v.name) ?? [])]);
      extraErrors.delete(v.name);
      const raw = config[v.name];
      const shown = key.type === 'PASSWORD' ? (raw === undefined ? null : Password.HIDDEN) : raw ?? (v.value === null || v.value === undefined ? null : stringifyValue(v.value));
      return {
        definition: toKeyInfo(key),
        value: { name: v.name, value: shown, recommended_values: v.recommendedValues.map(String), errors, visible: v.visible },
      };
    });
    for (const [name, errors] of extraErrors) {
      configs.push({
        definition: { name, type: 'STRING', required: false, default_value: null, importance: 'LOW', documentation: '', group: null, order: -1, width: 'NONE', display_name: name, dependents: [] },
        value: { name, value: config[name] ?? null, recommended_values: [], errors: messagesOf(name, errors), visible: true },
      });
    }
    return {
      name: descriptor?.className ?? className ?? '',
      error_count: configs.reduce((n, c) => n + c.value.errors.length, 0),
      groups: [...def.groups],
      configs,
    };
  }

  // ---- metrics -------------------------------------------------------------------------------

  private registerWorkerMetrics(): void {
    const pct = (ok: number, bad: number) => (ok + bad === 0 ? 0 : ok / (ok + bad));
    const taskCount = () => [...this.connectors.values()].reduce((n, e) => n + e.tasks.size, 0);
    const { connector: c, task: t } = this.startups;
    this.opts.metrics.register(
      new MBean(MetricGroups.worker, {})
        .define('connector-count', () => this.connectors.size)
        .define('task-count', taskCount)
        .define('connector-startup-attempts-total', () => c.success + c.failure)
        .define('connector-startup-success-total', () => c.success)
        .define('connector-startup-success-percentage', () => pct(c.success, c.failure))
        .define('connector-startup-failure-total', () => c.failure)
        .define('connector-startup-failure-percentage', () => pct(c.failure, c.success))
        .define('task-startup-attempts-total', () => t.success + t.failure)
        .define('task-startup-success-total', () => t.success)
        .define('task-startup-success-percentage', () => pct(t.success, t.failure))
        .define('task-startup-failure-total', () => t.failure)
        .define('task-startup-failure-percentage', () => pct(t.failure, t.success)),
    );
  }

  private registerConnectorMetrics(e: ConnectorEntry): void {
    const count = (state: ConnectorStateName) => [...e.taskStates.values()].filter((s) => s.state === state).length;
    this.opts.metrics.register(
      new MBean(MetricGroups.connector, { connector: e.name })
        .define('status', () => e.state.state.toLowerCase())
        .define('connector-type', () => e.type)
        .define('connector-class', () => e.config['connector.class'])
        .define('connector-version', () => e.instance?.version() ?? e.descriptor?.version ?? 'unknown'),
    );
    this.opts.metrics.register(
      new MBean(MetricGroups.worker, { connector: e.name })
        .define('connector-total-task-count', () => e.taskStates.size)
        .define('connector-running-task-count', () => count('RUNNING'))
        .define('connector-paused-task-count', () => count('PAUSED'))
        .define('connector-failed-task-count', () => count('FAILED'))
        .define('connector-unassigned-task-count', () => count('UNASSIGNED'))
        .define('connector-destroyed-task-count', () => 0)
        .define('connector-restarting-task-count', () => count('RESTARTING')),
    );
  }
}

function topicCreationOf(config: Record<string, string>, workerEnabled: boolean): ((topic: string) => TopicCreationSpec) | undefined {
  const rules = TopicCreationRules.fromConfig(config, workerEnabled);
  return rules ? (topic) => rules.specFor(topic) : undefined;
}

function subscriptionOf(config: Record<string, string>): Subscription {
  const topics = (config.topics ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  const regex = config['topics.regex']?.trim() ? new RegExp(`^(?:${config['topics.regex'].trim()})$`) : null;
  return { topics, regex };
}

/** Where a sink starts partitions it has no committed offsets for: `tributary.start.timestamp`, else the earliest offset. */
function startPosition(config: Record<string, string>): { autoOffsetReset: 'earliest' | 'latest'; startTimestampMs?: number } {
  const raw = config['tributary.start.timestamp']?.trim();
  if (!raw) return { autoOffsetReset: 'earliest' };
  const target = parseReplayTarget(raw, 'tributary.start.timestamp');
  return target.kind === 'timestamp' ? { autoOffsetReset: 'earliest', startTimestampMs: target.ms } : { autoOffsetReset: target.kind };
}

/** A source task's snapshot progress, added to its status entry while it reports one. */
function withSnapshot<T extends object>(status: T, task: WorkerTask | undefined): T & { snapshot?: SnapshotStatus } {
  const snapshot = task instanceof WorkerSourceTask ? task.snapshotStatus() : null;
  return snapshot ? { ...status, snapshot } : status;
}

function withTrace<T extends object>(o: T, trace: string | undefined): T & { trace?: string } {
  return trace ? { ...o, trace } : o;
}

function stringifyValue(v: unknown): string {
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

function toKeyInfo(key: ConfigKey): ConfigKeyInfo {
  const dv = key.defaultValue;
  return {
    name: key.name,
    type: key.type,
    required: typeof dv === 'symbol',
    default_value: typeof dv === 'symbol' || dv === null || dv === undefined ? null : key.type === 'PASSWORD' ? Password.HIDDEN : stringifyValue(dv),
    importance: key.importance,
    documentation: key.documentation,
    group: key.group ?? null,
    order: key.orderInGroup,
    width: key.width,
    display_name: key.displayName,
    dependents: key.dependents,
  };
}

/** A GET'ed config echoes secrets as `[hidden]`; PUTting it back must keep the stored secret. */
function restoreHiddenSecrets(incoming: Record<string, string>, stored: Record<string, string>, def: ConfigDef): Record<string, string> {
  const out = { ...incoming };
  for (const [k, v] of Object.entries(out)) {
    if (v === Password.HIDDEN && stored[k] !== undefined && maskSecrets({ [k]: stored[k] }, def)[k] === Password.HIDDEN) out[k] = stored[k];
    // A URL whose password the REST API hid (runtime/rest/redaction.ts) keeps the stored password.
    else if (v.includes(Password.HIDDEN) && stored[k] !== undefined && stored[k] !== v && redactText(stored[k]) === v) out[k] = stored[k];
  }
  return out;
}

function parseSinkOffset(o: { partition?: Record<string, unknown>; offset?: Record<string, unknown> | null }): { topic: string; partition: number; offset: number | null } {
  const p = o?.partition;
  if (!p || typeof p !== 'object') throw new BadRequestError('Each sink offset needs a "partition" object with kafka_topic and kafka_partition');
  if (!('kafka_topic' in p)) throw new BadRequestError('Kafka partitions must contain the key \'kafka_topic\' (e.g. {"kafka_topic":"orders","kafka_partition":0})');
  if (!('kafka_partition' in p)) throw new BadRequestError('Kafka partitions must contain the key \'kafka_partition\' (e.g. {"kafka_topic":"orders","kafka_partition":0})');
  if (p.kafka_topic === null || p.kafka_partition === null) throw new BadRequestError('Kafka partitions must have a non-null value for kafka_topic and kafka_partition');
  const partition = Number(p.kafka_partition);
  if (!Number.isInteger(partition)) throw new BadRequestError(`Failed to parse the following Kafka partition value in the provided offsets: '${String(p.kafka_partition)}'. Partition values for sink connectors need to be integers.`);
  if (o.offset === null || o.offset === undefined) return { topic: String(p.kafka_topic), partition, offset: null };
  if (!('kafka_offset' in o.offset)) throw new BadRequestError('Kafka offsets must contain the key \'kafka_offset\' (e.g. {"kafka_offset":5})');
  const offset = Number(o.offset.kafka_offset);
  if (!Number.isInteger(offset) || offset < 0) throw new BadRequestError(`Failed to parse the following Kafka offset value in the provided offsets: '${String(o.offset.kafka_offset)}'. Offset values for sink connectors need to be non-negative integers.`);
  return { topic: String(p.kafka_topic), partition, offset };
}

export function defaultWorkerId(host: string | null, port: number): string {
  return `${host ?? (os.hostname() || '127.0.0.1')}:${port}`;
}
