/**
 * The connector config records as Kafka Connect's config topic holds them (`connector-<name>`,
 * `target-state-<name>`, `task-<name>-<i>` + `commit-<name>`, `restart-connector-<name>`), read
 * and written through the worker's key-value store: the embedded log (standalone) or the
 * compacted config topic (distributed).
 */
import type { KeyValueStore, StoreWrite } from '../../transport/types.ts';
import type { TargetState } from '../task-state.ts';
import type { RestartRequest } from './herder-api.ts';

export const CONFIGS = 'connect-configs';
export const STATUS = 'connect-status';

export class ConfigRecords {
  constructor(private readonly store: KeyValueStore) {}

  /** Every stored connector config, by name. */
  all(): Array<[string, Record<string, string>]> {
    return this.store
      .entries(CONFIGS, 'connector-')
      .map((e) => [e.key.slice('connector-'.length), JSON.parse(e.value) as Record<string, string>]);
  }

  config(name: string): Record<string, string> | undefined {
    const stored = this.store.get(CONFIGS, `connector-${name}`);
    return stored === undefined ? undefined : (JSON.parse(stored) as Record<string, string>);
  }

  exists(name: string): boolean {
    return this.store.get(CONFIGS, `connector-${name}`) !== undefined;
  }

  target(name: string): TargetState {
    return (
      JSON.parse(this.store.get(CONFIGS, `target-state-${name}`) ?? '{"state":"STARTED"}') as { state: TargetState }
    ).state;
  }

  /** Whether task configs were ever committed for the connector (`commit-<name>`). */
  hasTaskCommit(name: string): boolean {
    return this.store.get(CONFIGS, `commit-${name}`) !== undefined;
  }

  /** The task configs of the last `commit-<name>` record. */
  taskConfigs(name: string): Array<Record<string, string>> {
    const commit = this.store.get(CONFIGS, `commit-${name}`);
    const count = commit === undefined ? 0 : Number((JSON.parse(commit) as { tasks?: number }).tasks ?? 0);
    return Array.from(
      { length: count },
      (_x, i) => JSON.parse(this.store.get(CONFIGS, `task-${name}-${i}`) ?? '{}') as Record<string, string>,
    );
  }

  /** Writes `task-<name>-<i>` then `commit-<name>` (Kafka Connect's format) when the configs changed. */
  async publishTaskConfigs(name: string, configs: Array<Record<string, string>>): Promise<void> {
    if (this.hasTaskCommit(name) && JSON.stringify(configs) === JSON.stringify(this.taskConfigs(name))) return;
    await this.store.put([
      ...configs.map((c, i) => ({ namespace: CONFIGS, key: `task-${name}-${i}`, value: JSON.stringify(c) })),
      { namespace: CONFIGS, key: `commit-${name}`, value: JSON.stringify({ tasks: configs.length }) },
    ]);
  }

  /** The connector config, and its target state when given (a new connector, or standalone's every write). */
  putConnector(name: string, config: Record<string, string>, target?: TargetState): Promise<void> {
    const writes: StoreWrite[] = [{ namespace: CONFIGS, key: `connector-${name}`, value: JSON.stringify(config) }];
    if (target !== undefined) writes.push(this.targetWrite(name, target));
    return this.store.put(writes);
  }

  deleteConnector(name: string): Promise<void> {
    return this.store.put([
      { namespace: CONFIGS, key: `connector-${name}`, value: null },
      { namespace: CONFIGS, key: `target-state-${name}`, value: null },
    ]);
  }

  putTarget(name: string, target: TargetState): Promise<void> {
    return this.store.put([this.targetWrite(name, target)]);
  }

  /** As Kafka Connect, stopping also empties the task configs, so no task runs anywhere. */
  putStopped(name: string): Promise<void> {
    return this.store.put([
      { namespace: CONFIGS, key: `commit-${name}`, value: JSON.stringify({ tasks: 0 }) },
      this.targetWrite(name, 'STOPPED'),
    ]);
  }

  putRestartRequest(name: string, request: RestartRequest): Promise<void> {
    return this.store.put([
      {
        namespace: CONFIGS,
        key: `restart-connector-${name}`,
        value: JSON.stringify({ 'include-tasks': request.includeTasks, 'only-failed': request.onlyFailed }),
      },
    ]);
  }

  private targetWrite(name: string, target: TargetState): StoreWrite {
    return { namespace: CONFIGS, key: `target-state-${name}`, value: JSON.stringify({ state: target }) };
  }
}
