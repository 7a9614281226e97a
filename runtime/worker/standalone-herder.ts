/**
 * The standalone herder (connect-standalone): this worker runs every connector and task; configs
 * and target states persist in the embedded log, so a restarted worker resumes its connectors.
 * Answers every operation of the REST API with Kafka Connect's semantics and messages.
 */
import { AlreadyExistsError, NotFoundError } from '../errors.ts';
import { AbstractHerder, type HerderOptions } from './herder/abstract-herder.ts';
import { newConnectorEntry, withSnapshot, withTrace, type ConnectorEntry } from './herder/connector-entry.ts';
import type { ConnectorInfo, ConnectorStateInfo, RestartRequest, TaskStateInfo } from './herder/herder-api.ts';
import { isPlainRestart, restartPlan, showRestarting } from './herder/restart-plan.ts';
import type { StateInfo, TargetState } from './task-state.ts';

export class StandaloneHerder extends AbstractHerder {
  constructor(opts: HerderOptions) {
    super(opts, { distributed: false });
  }

  /** Restores persisted connectors and starts them in their target states. */
  async start(): Promise<void> {
    for (const [name, config] of this.records.all()) {
      await this.loadPlugins(config);
      const entry = newConnectorEntry(this.opts.plugins, name, config, this.records.target(name));
      this.connectors.set(name, entry);
      await this.lifecycle.startConnector(entry);
    }
    this.ready = true;
  }

  /**
   * Stops every connector and task at once, so all of them share one task.shutdown.graceful.timeout.ms
   * (Kafka Connect's Worker.stopAndAwaitTasks) rather than one timeout after the other.
   */
  async stop(): Promise<void> {
    await this.serial(async () => {
      await Promise.all([...this.connectors.values()].map((e) => this.lifecycle.stopConnector(e, false)));
    });
  }

  // ---- lifecycle mode ------------------------------------------------------------------------------

  stateChanged(_e: ConnectorEntry, _task: number | null, _s: StateInfo): void {
    // States live in memory only: GET …/status reads them from the entries.
  }

  async taskConfigsGenerated(e: ConnectorEntry, configs: Array<Record<string, string>>): Promise<void> {
    e.taskConfigs = configs;
  }

  requestTaskReconfiguration(e: ConnectorEntry): void {
    void this.serial(async () => {
      if (e.target === 'STOPPED' || !e.instance) return;
      const next = await this.lifecycle.computeTaskConfigs(e);
      if (JSON.stringify(next) !== JSON.stringify(e.taskConfigs)) {
        // As Kafka Connect's StandaloneHerder.updateConnectorTasks: the tasks restart with the new configs.
        await this.lifecycle.stopTasks(e);
        e.taskConfigs = next;
        await this.lifecycle.startTasks(e);
      }
    });
  }

  // ---- reads ---------------------------------------------------------------------------------------

  connectorNames(): string[] {
    return [...this.connectors.keys()].sort();
  }

  protected known(name: string): ConnectorEntry {
    const e = this.connectors.get(name);
    if (!e) throw new NotFoundError(`Connector ${name} not found`);
    return e;
  }

  connectorStatus(name: string): ConnectorStateInfo {
    const e = this.connectors.get(name);
    if (!e) throw new NotFoundError(`No status found for connector ${name}`);
    return {
      name,
      connector: withTrace({ state: e.state.state, worker_id: this.workerId }, e.state.trace),
      tasks: [...e.taskStates.entries()]
        .sort(([a], [b]) => a - b)
        .map(([id, s]) =>
          withSnapshot(withTrace({ id, state: s.state, worker_id: this.workerId }, s.trace), e.tasks.get(id)),
        ),
      type: e.type,
    };
  }

  taskStatus(name: string, id: number): TaskStateInfo {
    const e = this.connectors.get(name);
    const s = e?.taskStates.get(id);
    if (!e || !s) throw new NotFoundError(`No status found for task ${name}-${id}`);
    return withTrace({ id, state: s.state, worker_id: this.workerId }, s.trace);
  }

  // ---- writes --------------------------------------------------------------------------------------

  /** POST /connectors and PUT /connectors/{name}/config. */
  putConnectorConfig(
    name: string,
    config: Record<string, string>,
    opts: { allowReplace: boolean; initialState?: TargetState },
  ): Promise<{ created: boolean; info: ConnectorInfo }> {
    return this.serial(async () => {
      const existing = this.connectors.get(name);
      if (existing && !opts.allowReplace) throw new AlreadyExistsError(`Connector ${name} already exists`);
      await this.loadPlugins(config);
      const merged = existing
        ? this.validator.restoreHiddenSecrets(config, existing.config, existing.descriptor)
        : { ...config };
      await this.validator.ensureValid(merged);
      const target = existing ? existing.target : (opts.initialState ?? 'STARTED');
      await this.records.putConnector(name, merged, target);
      if (existing) await this.lifecycle.stopConnector(existing, false);
      const entry = newConnectorEntry(this.opts.plugins, name, merged, target);
      this.connectors.set(name, entry);
      await this.lifecycle.startConnector(entry);
      return { created: !existing, info: await this.connectorInfo(name) };
    });
  }

  protected removeConnector(name: string): Promise<void> {
    return this.serial(async () => {
      const e = this.known(name);
      await this.lifecycle.stopConnector(e, false);
      this.connectors.delete(name);
      this.opts.metrics.removeWhere({ connector: name });
      await this.records.deleteConnector(name);
    });
  }

  private setTarget(e: ConnectorEntry, target: TargetState): Promise<void> {
    if (target !== e.target)
      this.opts.logger.info({ connector: e.name }, `Setting connector ${e.name} state to ${target}`);
    e.target = target;
    return this.records.putTarget(e.name, target);
  }

  pauseConnector(name: string): Promise<void> {
    return this.serial(async () => {
      const e = this.known(name);
      if (e.target === 'STOPPED') return; // Kafka Connect ignores pause of a stopped connector's tasks (none exist)
      await this.setTarget(e, 'PAUSED');
      for (const t of e.tasks.values()) t.pause();
      if (e.state.state === 'RUNNING') this.lifecycle.setConnectorState(e, { state: 'PAUSED' });
    });
  }

  resumeConnector(name: string): Promise<void> {
    return this.serial(async () => {
      const e = this.known(name);
      const wasStopped = e.target === 'STOPPED';
      await this.setTarget(e, 'STARTED');
      if (wasStopped) {
        await this.lifecycle.stopConnector(e, false);
        await this.lifecycle.startConnector(e);
        return;
      }
      for (const t of e.tasks.values()) t.resume();
      if (e.state.state === 'PAUSED') this.lifecycle.setConnectorState(e, { state: 'RUNNING' });
    });
  }

  protected stopByRequest(name: string): Promise<void> {
    return this.serial(async () => {
      const e = this.known(name);
      await this.setTarget(e, 'STOPPED');
      await this.lifecycle.stopConnector(e, false);
      e.taskConfigs = [];
      e.taskStates.clear();
      this.lifecycle.setConnectorState(e, { state: 'STOPPED' });
    });
  }

  /** POST /connectors/{name}/restart. Returns null for the plain (204) form. */
  restartConnector(name: string, request: RestartRequest): Promise<ConnectorStateInfo | null> {
    return this.serial(async () => {
      const e = this.known(name);
      if (isPlainRestart(request)) {
        await this.lifecycle.restartConnectorInstance(e);
        return null;
      }
      const preview = this.connectorStatus(name);
      const plan = restartPlan(preview, request);
      showRestarting(preview, plan);
      if (plan.connector) {
        if (plan.tasks.length === e.taskStates.size && request.includeTasks) {
          await this.lifecycle.stopConnector(e, false);
          await this.lifecycle.startConnector(e);
          return preview;
        }
        await this.lifecycle.restartConnectorInstance(e);
      }
      for (const id of plan.tasks) await this.lifecycle.restartTaskNow(e, id);
      return preview;
    });
  }

  restartTask(name: string, id: number): Promise<void> {
    return this.serial(async () => {
      const e = this.known(name);
      if (!e.taskStates.has(id) || id >= e.taskConfigs.length) throw new NotFoundError(`Unknown task: ${name}-${id}`);
      await this.lifecycle.restartTaskNow(e, id);
    });
  }

  /** Offset changes wait their turn behind the other operations. */
  protected offsetChange<T>(fn: () => Promise<T>): Promise<T> {
    return this.serial(fn);
  }
}
