/**
 * The distributed herder (connect-distributed): connector configs, target states and task configs
 * live in the config topic, statuses in the status topic; every worker answers reads from there.
 * A write only goes to the config topic (the leader serializes them); the workers the group
 * assigned a connector or task to start, stop and restart it as the topic and the assignment say
 * (reconcile()).
 */
import { AlreadyExistsError, NotFoundError, RestError } from '../errors.ts';
import { AbstractHerder, type HerderOptions } from '../worker/herder/abstract-herder.ts';
import { newConnectorEntry, type ConnectorEntry } from '../worker/herder/connector-entry.ts';
import type { ConnectorInfo, ConnectorStateInfo, RestartRequest, TaskStateInfo } from '../worker/herder/herder-api.ts';
import { isPlainRestart, restartPlan, showRestarting } from '../worker/herder/restart-plan.ts';
import type { StateInfo, TargetState } from '../worker/task-state.ts';
import type { ClusterRole } from './cluster-role.ts';
import { StatusRecords } from './status-records.ts';

const REBALANCING = 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)';

export class DistributedHerder extends AbstractHerder {
  private readonly statuses: StatusRecords;

  constructor(
    opts: HerderOptions,
    private readonly cluster: ClusterRole,
  ) {
    super(opts, { distributed: true, exactlyOnce: cluster.exactlyOnce });
    this.statuses = new StatusRecords({
      store: opts.store,
      records: this.records,
      plugins: opts.plugins,
      cluster,
      logger: opts.logger,
      workerId: () => this.workerId,
    });
  }

  /** Connectors start once group membership says which are ours (reconcile()). */
  async start(): Promise<void> {
    this.ready = true;
  }

  /** Stops every local connector and task at once; what this worker ran is unassigned until the group hands it out again. */
  async stop(): Promise<void> {
    await this.serial(async () => {
      const entries = [...this.connectors.values()];
      const ran = entries.map((e) => ({ connector: e.instance !== undefined, tasks: [...e.tasks.keys()] }));
      await Promise.all(entries.map((e) => this.lifecycle.stopConnector(e, false)));
      for (const [i, entry] of entries.entries()) {
        if (ran[i].connector) await this.statuses.publishUnassigned(entry.name, null);
        for (const id of ran[i].tasks) await this.statuses.publishUnassigned(entry.name, id);
      }
    });
  }

  // ---- lifecycle mode ------------------------------------------------------------------------------

  stateChanged(e: ConnectorEntry, task: number | null, s: StateInfo): void {
    this.statuses.publish(e.name, task, s);
  }

  async taskConfigsGenerated(e: ConnectorEntry, configs: Array<Record<string, string>>): Promise<void> {
    await this.records.publishTaskConfigs(e.name, configs);
    e.taskConfigs = this.records.taskConfigs(e.name);
  }

  requestTaskReconfiguration(e: ConnectorEntry): void {
    void this.serial(async () => {
      if (e.target === 'STOPPED' || !e.instance) return;
      // The workers running the tasks restart them when the new configs reach the config topic.
      await this.records.publishTaskConfigs(e.name, await this.lifecycle.computeTaskConfigs(e));
    });
  }

  // ---- group membership ----------------------------------------------------------------------------

  /**
   * Applies the assignment and the config topic. Starts the connector instances and tasks
   * assigned to this worker, stops what moved away or was deleted, restarts what was
   * reconfigured, pauses and resumes on target-state changes. Called after every generation and
   * every config topic change.
   */
  reconcile(): Promise<void> {
    const { cluster, lifecycle, records, statuses } = this;
    return this.serial(async () => {
      const stored = new Map(records.all());
      for (const [name, e] of [...this.connectors]) {
        const config = stored.get(name);
        const target = config ? records.target(name) : e.target;
        if (
          !config ||
          JSON.stringify(config) !== JSON.stringify(e.config) ||
          (target !== e.target && (target === 'STOPPED' || e.target === 'STOPPED'))
        ) {
          const ranConnector = e.instance !== undefined || cluster.runsConnector(name);
          const ranTasks = [...e.tasks.keys()];
          await lifecycle.stopConnector(e, false);
          this.connectors.delete(name);
          if (!config && ranConnector) await statuses.publishDeleted(e.name);
          else await statuses.publishTasksGone(name, ranTasks);
          continue;
        }
        if (target !== e.target) {
          this.opts.logger.info({ connector: name }, `Setting connector ${name} state to ${target}`);
          e.target = target;
          for (const t of e.tasks.values())
            if (target === 'PAUSED') t.pause();
            else t.resume();
          if (e.instance && (e.state.state === 'RUNNING' || e.state.state === 'PAUSED'))
            lifecycle.setConnectorState(e, { state: target === 'PAUSED' ? 'PAUSED' : 'RUNNING' });
        }
        if (e.instance && !cluster.runsConnector(name)) {
          await lifecycle.stopConnectorInstance(e);
          await statuses.publishUnassigned(name, null);
        }
        const taskConfigs = records.taskConfigs(name);
        const countChanged = taskConfigs.length !== e.taskConfigs.length;
        for (const id of [...e.tasks.keys()]) {
          if (
            !countChanged &&
            cluster.runsTask(name, id) &&
            JSON.stringify(taskConfigs[id]) === JSON.stringify(e.taskConfigs[id])
          )
            continue;
          await lifecycle.stopTask(e, id);
          await statuses.publishTasksGone(name, [id]);
          if (id < taskConfigs.length && !cluster.runsTask(name, id)) await statuses.publishUnassigned(name, id);
        }
        e.taskConfigs = taskConfigs;
      }
      for (const [name, config] of stored) {
        const taskConfigs = records.taskConfigs(name);
        const mine = taskConfigs.map((_c, i) => i).filter((i) => cluster.runsTask(name, i));
        const runsConnector = cluster.runsConnector(name);
        let e = this.connectors.get(name);
        if (!e) {
          if (!runsConnector && mine.length === 0) continue;
          await this.loadPlugins(config);
          e = newConnectorEntry(this.opts.plugins, name, config, records.target(name));
          e.taskConfigs = taskConfigs;
          this.connectors.set(name, e);
        }
        if (runsConnector && !e.instance) {
          if (e.target === 'STOPPED') {
            if (e.state.state !== 'STOPPED') lifecycle.setConnectorState(e, { state: 'STOPPED' });
          } else {
            this.opts.logger.info({ connector: name }, 'Starting connector assigned to this worker');
            await lifecycle.startConnectorInstance(e);
          }
        }
        if (e.target !== 'STOPPED') {
          for (const id of mine) {
            if (e.tasks.has(id)) continue;
            this.opts.logger.info({ connector: name, task: id }, 'Starting task assigned to this worker');
            lifecycle.startTask(e, id);
          }
        }
        if (!runsConnector && !e.instance && e.tasks.size === 0) this.connectors.delete(name);
      }
    });
  }

  /** Stops every local connector and task without touching the stored state (reconcile() starts the assigned ones again). */
  releaseAll(): Promise<void> {
    return this.serial(async () => {
      for (const [name, e] of [...this.connectors]) {
        await this.lifecycle.stopConnector(e, false);
        this.connectors.delete(name);
      }
    });
  }

  /** A `restart-connector-<name>` record (Kafka Connect's restart request): restart the local parts it covers. */
  applyRestartRequest(name: string, request: RestartRequest): Promise<void> {
    return this.serial(async () => {
      const e = this.connectors.get(name);
      if (!e || e.target === 'STOPPED') return;
      if (e.instance && (!request.onlyFailed || e.state.state === 'FAILED')) {
        await this.lifecycle.stopConnectorInstance(e);
        await this.lifecycle.startConnectorInstance(e);
      }
      if (!request.includeTasks) return;
      for (const [id, s] of [...e.taskStates]) {
        if (request.onlyFailed && s.state !== 'FAILED') continue;
        if (e.tasks.has(id) || this.cluster.runsTask(name, id)) await this.lifecycle.restartTaskNow(e, id);
      }
    });
  }

  // ---- reads (from the internal topics) ------------------------------------------------------------

  connectorNames(): string[] {
    return this.records.all().map(([name]) => name);
  }

  /** The connector as the config topic has it (every worker answers from there). */
  protected known(name: string): ConnectorEntry {
    const config = this.records.config(name);
    if (config === undefined) throw new NotFoundError(`Connector ${name} not found`);
    const e = newConnectorEntry(this.opts.plugins, name, config, this.records.target(name));
    e.taskConfigs = this.records.taskConfigs(name);
    return e;
  }

  connectorStatus(name: string): ConnectorStateInfo {
    const stored = this.records.exists(name) ? this.statuses.stored(name) : null;
    if (!stored) throw new NotFoundError(`No status found for connector ${name}`);
    return stored;
  }

  taskStatus(name: string, id: number): TaskStateInfo {
    const stored = this.records.exists(name) ? this.statuses.stored(name)?.tasks.find((t) => t.id === id) : undefined;
    if (!stored) throw new NotFoundError(`No status found for task ${name}-${id}`);
    return stored;
  }

  // ---- writes (to the config topic) ----------------------------------------------------------------

  /**
   * A config write only goes to the config topic, as in Kafka Connect; the workers the connector
   * and its tasks are assigned to pick it up from there (creation is asynchronous: the new
   * connector has no tasks yet when the request returns).
   */
  putConnectorConfig(
    name: string,
    config: Record<string, string>,
    opts: { allowReplace: boolean; initialState?: TargetState },
  ): Promise<{ created: boolean; info: ConnectorInfo }> {
    return this.serial(async () => {
      await this.opts.store.sync?.();
      const existing = this.records.config(name);
      if (existing !== undefined && !opts.allowReplace)
        throw new AlreadyExistsError(`Connector ${name} already exists`);
      await this.loadPlugins(config);
      if (existing !== undefined) await this.loadPlugins(existing);
      const merged =
        existing !== undefined
          ? this.validator.restoreHiddenSecrets(
              config,
              existing,
              newConnectorEntry(this.opts.plugins, name, existing, 'STARTED').descriptor,
            )
          : { ...config };
      await this.validator.ensureValid(merged);
      await this.records.putConnector(
        name,
        merged,
        existing === undefined ? (opts.initialState ?? 'STARTED') : undefined,
      );
      return { created: existing === undefined, info: await this.connectorInfo(name) };
    });
  }

  protected removeConnector(name: string): Promise<void> {
    return this.serial(async () => {
      this.known(name);
      await this.records.deleteConnector(name);
      await this.statuses.publishDeleted(name);
    });
  }

  /** Pause, resume and stop are target-state records; the connector's workers apply them. */
  private putTarget(name: string, target: TargetState): Promise<void> {
    return this.serial(async () => {
      const current = this.known(name).target;
      if (target === 'PAUSED' && current === 'STOPPED') return;
      if (target === 'STOPPED') await this.records.putStopped(name);
      else await this.records.putTarget(name, target);
    });
  }

  pauseConnector(name: string): Promise<void> {
    return this.putTarget(name, 'PAUSED');
  }

  resumeConnector(name: string): Promise<void> {
    return this.putTarget(name, 'STARTED');
  }

  protected stopByRequest(name: string): Promise<void> {
    return this.putTarget(name, 'STOPPED');
  }

  /**
   * Writes Kafka Connect's restart request record `restart-connector-<name>`; every worker
   * restarts the parts of the connector it runs (applyRestartRequest).
   */
  restartConnector(name: string, request: RestartRequest): Promise<ConnectorStateInfo | null> {
    return this.serial(async () => {
      this.known(name);
      const status = this.statuses.stored(name);
      if (!status) throw new RestError(409, REBALANCING);
      await this.records.putRestartRequest(name, request);
      if (isPlainRestart(request)) return null;
      return showRestarting(status, restartPlan(status, request));
    });
  }

  restartTask(name: string, id: number): Promise<void> {
    return this.serial(async () => {
      if (!this.cluster.runsTask(name, id)) {
        if (id >= this.known(name).taskConfigs.length) throw new NotFoundError(`Unknown task: ${name}-${id}`);
        throw new RestError(409, REBALANCING);
      }
      const e = this.connectors.get(name);
      if (!e) throw new NotFoundError(`Connector ${name} not found`);
      if (!e.taskStates.has(id) || id >= e.taskConfigs.length) throw new NotFoundError(`Unknown task: ${name}-${id}`);
      await this.lifecycle.restartTaskNow(e, id);
    });
  }

  /** Offset changes touch no local state and wait for other workers' tasks to stop, so they bypass the queue. */
  protected offsetChange<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}
