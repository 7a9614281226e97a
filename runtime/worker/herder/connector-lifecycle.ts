/**
 * Connector lifecycle: creates, starts, stops and restarts the connector objects and tasks this
 * worker runs, keeps their states (with provider placeholders redacted from traces), resolves
 * config placeholders when a connector or task starts. What differs by mode (publishing states,
 * where task configs go, reconfiguration) is the herder's LifecycleMode.
 */
import { hasPlaceholder, type ConfigProviders, type ResolvedConfig } from '../../config/providers.ts';
import { redactingLogger } from '../../config/redacting-logger.ts';
import { ConnectException, traceOf } from '../../errors.ts';
import type { Logger, LogLevels } from '../../logging.ts';
import { MBean } from '../../metrics/registry.ts';
import { MetricGroups } from '../../metrics/names.ts';
import type { Connector } from '../../spi/connector.ts';
import { settlesWithin } from '../shutdown.ts';
import { TaskErrorCounters, TaskMetrics } from '../task-metrics.ts';
import type { ConnectorStateName, StateInfo } from '../task-state.ts';
import type { ConnectorEntry } from './connector-entry.ts';
import { registerConnectorMetrics } from './herder-metrics.ts';
import { wireTask, type TaskWiringDeps } from './task-wiring.ts';

export interface LifecycleDeps extends TaskWiringDeps {
  logger: Logger;
  /** Named connector/task loggers whose levels /admin/loggers can change. */
  logLevels?: LogLevels;
  providers: ConfigProviders;
}

/** What the herder's mode decides in a connector's lifecycle. */
export interface LifecycleMode {
  /** A connector's (task null) or task's state changed (distributed mode publishes it). */
  stateChanged(e: ConnectorEntry, task: number | null, s: StateInfo): void;
  /** The connector object just generated its task configs: they become e.taskConfigs. */
  taskConfigsGenerated(e: ConnectorEntry, configs: Array<Record<string, string>>): Promise<void>;
  /** The connector asked for its task configs to be generated again (ConnectorContext.requestTaskReconfiguration). */
  requestTaskReconfiguration(e: ConnectorEntry): void;
}

export class ConnectorLifecycle {
  /** The connectors this worker knows locally (standalone: all; distributed: those with work here). */
  readonly entries = new Map<string, ConnectorEntry>();
  readonly startups = { connector: { success: 0, failure: 0 }, task: { success: 0, failure: 0 } };

  constructor(
    private readonly deps: LifecycleDeps,
    private readonly mode: LifecycleMode,
  ) {}

  loggerFor(name: string, bindings: Record<string, unknown>): Logger {
    return this.deps.logLevels ? this.deps.logLevels.child(name, bindings) : this.deps.logger.child(bindings);
  }

  async restartConnectorInstance(e: ConnectorEntry): Promise<void> {
    if (e.target === 'STOPPED') return;
    // Only the connector object restarts; if its task configs change, tasks are reconfigured.
    try {
      await e.instance?.stop();
    } catch (err) {
      this.deps.logger.warn({ connector: e.name, err: (err as Error).message }, 'Error stopping connector');
    }
    const before = JSON.stringify(e.taskConfigs);
    await this.startConnectorInstance(e);
    if (e.state.state !== 'FAILED' && JSON.stringify(e.taskConfigs) !== before) {
      await this.stopTasks(e);
      await this.startTasks(e);
    }
  }

  async restartTaskNow(e: ConnectorEntry, id: number): Promise<void> {
    const t = e.tasks.get(id);
    if (t) await t.stop(this.deps.worker.getLong('task.shutdown.graceful.timeout.ms'));
    e.tasks.delete(id);
    this.startTask(e, id);
  }

  /** Connector configs are stored raw; placeholders resolve only here, when a connector or task starts (or a config is validated). */
  resolve(config: Record<string, string>, e?: ConnectorEntry, slot = 'connector'): ResolvedConfig {
    const resolved = this.deps.providers.transform(config);
    if (e) {
      for (const u of resolved.unresolved)
        this.deps.logger.warn(
          { connector: e.name, key: u.key, placeholder: u.placeholder },
          `Config "${u.key}": placeholder ${u.placeholder} left as written: ${u.reason}`,
        );
      e.redactors.set(slot, resolved.redact);
    }
    return resolved;
  }

  /** A connector or task logger that hides resolved values (plain when its configs hold no placeholder). */
  redacting(logger: Logger, e: ConnectorEntry, ...configs: Array<Record<string, string>>): Logger {
    return configs.some((c) => Object.values(c).some(hasPlaceholder))
      ? redactingLogger(logger, (text) => e.redact(text))
      : logger;
  }

  setConnectorState(e: ConnectorEntry, s: StateInfo): void {
    if (s.trace) s = { ...s, trace: e.redact(s.trace) };
    e.state = s;
    this.mode.stateChanged(e, null, s);
  }

  setTaskState(e: ConnectorEntry, id: number, s: StateInfo): void {
    if (s.trace) s = { ...s, trace: e.redact(s.trace) };
    e.taskStates.set(id, s);
    this.mode.stateChanged(e, id, s);
  }

  /** Starts the connector in its target state: its object, then its tasks. */
  async startConnector(e: ConnectorEntry): Promise<void> {
    if (e.target === 'STOPPED') {
      this.setConnectorState(e, { state: 'STOPPED' });
      return;
    }
    this.deps.logger.info({ connector: e.name }, `Starting connector ${e.name}`);
    await this.startConnectorInstance(e);
    if (e.state.state !== 'FAILED') await this.startTasks(e);
  }

  async startConnectorInstance(e: ConnectorEntry): Promise<void> {
    const { logger, metrics } = this.deps;
    try {
      logger.info({ connector: e.name }, `Creating connector ${e.name} of type ${e.config['connector.class']}`);
      if (!e.descriptor)
        throw new ConnectException(
          `Failed to find any class that implements Connector and which name matches ${e.config['connector.class']}`,
        );
      const instance = e.descriptor.create() as Connector;
      e.instance = instance;
      logger.info(
        { connector: e.name },
        `Instantiated connector ${e.name} with version ${e.descriptor.version} of type ${e.descriptor.className}`,
      );
      const resolved = this.resolve(e.config, e).data;
      const connectorLogger = this.redacting(
        this.loggerFor(`tributary.connector.${e.name}`, { connector: e.name }),
        e,
        e.config,
      );
      instance.initialize?.({
        connectorName: e.name,
        logger: connectorLogger,
        worker: this.deps.workerContext,
        requestTaskReconfiguration: () => this.mode.requestTaskReconfiguration(e),
        raiseError: (err) => this.setConnectorState(e, { state: 'FAILED', trace: traceOf(err) }),
      });
      await instance.start(resolved);
      await this.mode.taskConfigsGenerated(e, await this.computeTaskConfigs(e));
      this.setConnectorState(e, { state: e.target === 'PAUSED' ? 'PAUSED' : 'RUNNING' });
      registerConnectorMetrics(this.deps.metrics, e);
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

  async computeTaskConfigs(e: ConnectorEntry): Promise<Array<Record<string, string>>> {
    const maxTasks = Number(e.config['tasks.max'] ?? 1);
    const configs = await e.instance!.taskConfigs(maxTasks);
    if (configs.length > maxTasks && (e.config['tasks.max.enforce'] ?? 'true') !== 'false') {
      throw new ConnectException(
        `The connector ${e.name} has generated ${configs.length} tasks, which is greater than ${maxTasks}, the maximum number of tasks it is configured to create.`,
      );
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

  async startTasks(e: ConnectorEntry): Promise<void> {
    for (let i = 0; i < e.taskConfigs.length; i++) this.startTask(e, i);
  }

  startTask(e: ConnectorEntry, id: number): void {
    const taskLogger = this.redacting(
      this.loggerFor(`tributary.connector.${e.name}.task.${id}`, { connector: e.name, task: id }),
      e,
      e.config,
      e.taskConfigs[id] ?? {},
    );
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
      const task = wireTask(this.deps, e, id, {
        taskConfig,
        connectorConfig,
        taskLogger,
        listener,
        taskMetrics,
        errorCounters,
      });
      e.tasks.set(id, task);
      task.start(e.target === 'PAUSED');
    } catch (err) {
      this.startups.task.failure++;
      taskLogger.error({ err: (err as Error).message }, 'Failed to start task');
      this.setTaskState(e, id, { state: 'FAILED', trace: traceOf(err) });
    }
  }

  async stopTasks(e: ConnectorEntry): Promise<void> {
    const timeout = this.deps.worker.getLong('task.shutdown.graceful.timeout.ms');
    await Promise.all([...e.tasks.values()].map((t) => t.stop(timeout)));
    e.tasks.clear();
    e.taskStates.clear();
  }

  /** Distributed mode: stops one local task (it moved to another worker, or its config changed). */
  async stopTask(e: ConnectorEntry, id: number): Promise<void> {
    await e.tasks.get(id)?.stop(this.deps.worker.getLong('task.shutdown.graceful.timeout.ms'));
    e.tasks.delete(id);
    e.taskStates.delete(id);
    this.deps.metrics.removeWhere({ connector: e.name, task: String(id) });
  }

  /** Distributed mode: stops the connector instance only (it moved to another worker); its tasks keep running. */
  async stopConnectorInstance(e: ConnectorEntry): Promise<void> {
    try {
      await e.instance?.stop();
    } catch (err) {
      this.deps.logger.warn({ connector: e.name, err: (err as Error).message }, 'Error while stopping connector');
    }
    e.instance = undefined;
    e.state = { state: 'UNASSIGNED' };
  }

  async stopConnector(e: ConnectorEntry, _deleting: boolean): Promise<void> {
    await this.stopTasks(e);
    if (e.instance) {
      this.deps.logger.info({ connector: e.name }, `Stopping connector ${e.name}`);
      const instance = e.instance;
      const stopping = (async () => instance.stop())().catch((err: unknown) => {
        this.deps.logger.warn({ connector: e.name, err: (err as Error).message }, 'Error while stopping connector');
      });
      const timeoutMs = this.deps.worker.getLong('task.shutdown.graceful.timeout.ms');
      // As Kafka Connect's WorkerConnector: a connector that does not stop in time is reported and left behind.
      if (!(await settlesWithin(stopping, timeoutMs)))
        this.deps.logger.warn(
          { connector: e.name, timeoutMs },
          `Connector ${e.name} did not stop within task.shutdown.graceful.timeout.ms=${timeoutMs}; continuing without it`,
        );
      e.instance = undefined;
    }
    this.deps.metrics.removeWhere({ connector: e.name });
  }
}
