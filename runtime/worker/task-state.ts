export type ConnectorStateName = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING';
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';

export interface StateInfo {
  state: ConnectorStateName;
  trace?: string;
}

export interface TaskId {
  connector: string;
  task: number;
}

export const taskIdString = (id: TaskId) => `${id.connector}-${id.task}`;
