/**
 * Distributed mode's status records, as Kafka Connect's status topic holds them:
 * `status-connector-<name>` and `status-task-<name>-<id>`, each written by the worker running
 * that part, read by every worker to answer GET …/status.
 */
import type { Logger } from '../logging.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import type { KeyValueStore } from '../transport/types.ts';
import type { ConnectorStateName, StateInfo } from '../worker/task-state.ts';
import { STATUS, type ConfigRecords } from '../worker/herder/config-records.ts';
import { withTrace } from '../worker/herder/connector-entry.ts';
import type { ConnectorStateInfo, ConnectorType } from '../worker/herder/herder-api.ts';
import type { ClusterRole } from './cluster-role.ts';

export interface StatusRecordsDeps {
  store: KeyValueStore;
  records: ConfigRecords;
  plugins: PluginRegistry;
  cluster: ClusterRole;
  logger: Logger;
  /** This worker's id (set once its REST listener is bound). */
  workerId: () => string;
}

export class StatusRecords {
  constructor(private readonly deps: StatusRecordsDeps) {}

  /** A state this worker's connector object (task null) or task reached. */
  publish(name: string, task: number | null, s: StateInfo): void {
    const { cluster, store } = this.deps;
    // Only the worker running the connector (or the task) reports it, and only while it exists.
    if (task === null ? !cluster.runsConnector(name) : !cluster.runsTask(name, task)) return;
    if (!this.deps.records.exists(name)) return;
    const key = task === null ? `status-connector-${name}` : `status-task-${name}-${task}`;
    const value = JSON.stringify({
      state: s.state,
      trace: s.trace ?? null,
      worker_id: this.deps.workerId(),
      generation: cluster.generation(),
    });
    store
      .put([{ namespace: STATUS, key, value }])
      .catch((err: Error) => this.deps.logger.warn({ connector: name, err: err.message }, 'Could not publish status'));
  }

  /**
   * Work this worker stopped running (revoked, or the worker shuts down) shows as UNASSIGNED — a
   * "safe" write as Kafka Connect's: never over a status another worker wrote since.
   */
  async publishUnassigned(name: string, task: number | null): Promise<void> {
    const { cluster, store } = this.deps;
    if (!this.deps.records.exists(name)) return;
    const key = task === null ? `status-connector-${name}` : `status-task-${name}-${task}`;
    const current = store.get(STATUS, key);
    if (!current || (JSON.parse(current) as { worker_id?: string }).worker_id !== this.deps.workerId()) return;
    const value = JSON.stringify({
      state: 'UNASSIGNED',
      trace: null,
      worker_id: this.deps.workerId(),
      generation: cluster.generation(),
    });
    await store
      .put([{ namespace: STATUS, key, value }])
      .catch((err: Error) => this.deps.logger.warn({ connector: name, err: err.message }, 'Could not publish status'));
  }

  /** A task that no longer exists (fewer task configs, e.g. a stopped connector) loses its status record, as Kafka Connect's DESTROYED. */
  async publishTasksGone(name: string, ids: number[]): Promise<void> {
    const { store } = this.deps;
    const count = this.deps.records.taskConfigs(name).length;
    const gone = ids
      .filter((id) => id >= count)
      .map((id) => `status-task-${name}-${id}`)
      .filter((key) => store.get(STATUS, key) !== undefined);
    if (gone.length) await store.put(gone.map((key) => ({ namespace: STATUS, key, value: null })));
  }

  async publishDeleted(name: string): Promise<void> {
    const { store } = this.deps;
    const keys = [`status-connector-${name}`, ...store.entries(STATUS, `status-task-${name}-`).map((x) => x.key)];
    await store.put(
      keys
        .filter((key) => store.get(STATUS, key) !== undefined)
        .map((key) => ({ namespace: STATUS, key, value: null })),
    );
  }

  /** The connector's status as the status records have it, or null before its worker reported it. */
  stored(name: string): ConnectorStateInfo | null {
    const { store, records } = this.deps;
    const connector = store.get(STATUS, `status-connector-${name}`);
    if (!connector) return null;
    const parse = (v: string) =>
      JSON.parse(v) as { state: ConnectorStateName; trace: string | null; worker_id: string };
    const c = parse(connector);
    const config = records.config(name);
    const descriptor = config ? this.deps.plugins.find(config['connector.class'] ?? '', ['source', 'sink']) : undefined;
    const taskCount = records.hasTaskCommit(name) ? records.taskConfigs(name).length : Number.POSITIVE_INFINITY;
    const prefix = `status-task-${name}-`;
    const tasks = store
      .entries(STATUS, prefix)
      .map((x) => ({ id: Number(x.key.slice(prefix.length)), s: parse(x.value) }))
      .filter((t) => Number.isInteger(t.id) && t.id < taskCount)
      .sort((a, b) => a.id - b.id)
      .map((t) => withTrace({ id: t.id, state: t.s.state, worker_id: t.s.worker_id }, t.s.trace ?? undefined));
    return {
      name,
      connector: withTrace({ state: c.state, worker_id: c.worker_id }, c.trace ?? undefined),
      tasks,
      type: descriptor ? (descriptor.type as ConnectorType) : 'unknown',
    };
  }
}
