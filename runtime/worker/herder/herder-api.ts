/**
 * What the REST API asks of a herder, in either mode, and the shapes it answers with (Kafka
 * Connect's ConnectorInfo, ConnectorStateInfo, ConfigInfos). runtime/rest depends on this
 * interface only; StandaloneHerder and DistributedHerder implement it.
 */
import type { PluginType } from '../../plugins/types.ts';
import type { ConnectorStateName, TargetState } from '../task-state.ts';

export type ConnectorType = 'source' | 'sink' | 'unknown';

export interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: Array<{ connector: string; task: number }>;
  type: ConnectorType;
}

export interface TaskStateInfo {
  id: number;
  state: ConnectorStateName;
  worker_id: string;
  trace?: string;
}

export interface ConnectorStateInfo {
  name: string;
  connector: { state: ConnectorStateName; worker_id: string; trace?: string };
  tasks: TaskStateInfo[];
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
  configs: Array<{
    definition: ConfigKeyInfo;
    value: { name: string; value: string | null; recommended_values: string[]; errors: string[]; visible: boolean };
  }>;
}

export interface RestartRequest {
  includeTasks: boolean;
  onlyFailed: boolean;
}

export interface ConnectorOffsets {
  offsets: Array<{ partition: Record<string, unknown>; offset: Record<string, unknown> | null }>;
}

export interface AlterOffsetsResult {
  message: string;
  redelivery?: { records: number; partitions: Array<Record<string, unknown>> };
}

export interface Herder {
  /** `<host>:<port>` as shown in status `worker_id`; set once the REST listener is bound. */
  workerId: string;
  readonly isReady: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;

  connectorNames(): string[];
  connectorInfo(name: string): Promise<ConnectorInfo>;
  connectorConfig(name: string): Promise<Record<string, string>>;
  connectorStatus(name: string): ConnectorStateInfo;
  taskStatus(name: string, id: number): TaskStateInfo;
  taskInfos(name: string): Promise<Array<{ id: { connector: string; task: number }; config: Record<string, string> }>>;

  putConnectorConfig(
    name: string,
    config: Record<string, string>,
    opts: { allowReplace: boolean; initialState?: TargetState },
  ): Promise<{ created: boolean; info: ConnectorInfo }>;
  patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo>;
  /** Resolves with what the connector leaves on the source system (logged as a warning), or null. */
  deleteConnector(name: string): Promise<string | null>;
  pauseConnector(name: string): Promise<void>;
  resumeConnector(name: string): Promise<void>;
  /** Resolves with what stays on the source system while stopped (logged as a warning), or null. */
  stopConnectorByRequest(name: string): Promise<string | null>;
  /** Returns null for the plain (204) form. */
  restartConnector(name: string, opts: RestartRequest): Promise<ConnectorStateInfo | null>;
  restartTask(name: string, id: number): Promise<void>;

  connectorOffsets(name: string): Promise<ConnectorOffsets>;
  alterOffsets(name: string, body: unknown): Promise<AlterOffsetsResult>;
  resetOffsets(name: string): Promise<{ message: string }>;

  activeTopics(name: string): Record<string, { topics: string[] }>;
  resetActiveTopics(name: string): Promise<void>;

  pluginConfig(pluginName: string): Promise<ConfigKeyInfo[]>;
  listPlugins(types: PluginType[]): Array<{ class: string; type: PluginType; version: string }>;
  validateConnectorConfig(config: Record<string, string>, expectedPlugin?: string): Promise<ConfigInfos>;
}
