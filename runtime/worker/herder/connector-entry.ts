/**
 * What a herder keeps about one connector: its config and target state, the connector object and
 * tasks this worker runs, and their states.
 */
import type { PluginRegistry } from '../../plugins/registry.ts';
import type { PluginDescriptor } from '../../plugins/types.ts';
import type { Connector } from '../../spi/connector.ts';
import type { SnapshotStatus } from '../../spi/source.ts';
import type { StateInfo, TargetState } from '../task-state.ts';
import type { WorkerTask } from '../worker-task.ts';
import { WorkerSourceTask } from '../worker-source-task.ts';
import type { ConnectorType } from './herder-api.ts';

export interface ConnectorEntry {
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

export function newConnectorEntry(
  plugins: PluginRegistry,
  name: string,
  config: Record<string, string>,
  target: TargetState,
): ConnectorEntry {
  const descriptor = config['connector.class']
    ? plugins.find(config['connector.class'], ['source', 'sink'])
    : undefined;
  const entry: ConnectorEntry = {
    name,
    config,
    target,
    descriptor,
    type: descriptor ? (descriptor.type as 'source' | 'sink') : 'unknown',
    state: { state: 'UNASSIGNED' },
    instance: undefined,
    taskConfigs: [],
    tasks: new Map(),
    taskStates: new Map(),
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

/** A fresh object of the connector's class, for its hooks (alterOffsets, leftBehind) while the connector itself is stopped. */
export function connectorObject<T extends 'source' | 'sink'>(
  e: ConnectorEntry,
  type: T,
): Extract<Connector, { type: T }> | undefined {
  const created = e.descriptor?.type === type ? (e.descriptor.create() as Connector) : undefined;
  return created?.type === type ? (created as Extract<Connector, { type: T }>) : undefined;
}

/** A source task's snapshot progress, added to its status entry while it reports one. */
export function withSnapshot<T extends object>(
  status: T,
  task: WorkerTask | undefined,
): T & { snapshot?: SnapshotStatus } {
  const snapshot = task instanceof WorkerSourceTask ? task.snapshotStatus() : null;
  return snapshot ? { ...status, snapshot } : status;
}

export function withTrace<T extends object>(o: T, trace: string | undefined): T & { trace?: string } {
  return trace ? { ...o, trace } : o;
}
