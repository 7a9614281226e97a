/**
 * Restarts (KIP-745): which parts of a connector a POST /connectors/{name}/restart request
 * restarts, and the status answered for it (those parts shown RESTARTING), in either mode.
 */
import type { ConnectorStateInfo, RestartRequest } from './herder-api.ts';

export interface RestartPlan {
  connector: boolean;
  tasks: number[];
}

export function restartPlan(status: ConnectorStateInfo, request: RestartRequest): RestartPlan {
  return {
    connector: !request.onlyFailed || status.connector.state === 'FAILED',
    tasks: request.includeTasks
      ? status.tasks.filter((t) => !request.onlyFailed || t.state === 'FAILED').map((t) => t.id)
      : [],
  };
}

/** The plain form (neither includeTasks nor onlyFailed) answers 204 with no body. */
export function isPlainRestart(request: RestartRequest): boolean {
  return !request.includeTasks && !request.onlyFailed;
}

/** The status with the planned parts shown RESTARTING (modified in place and returned). */
export function showRestarting(status: ConnectorStateInfo, plan: RestartPlan): ConnectorStateInfo {
  if (plan.connector) status.connector.state = 'RESTARTING';
  for (const t of status.tasks) if (plan.tasks.includes(t.id)) t.state = 'RESTARTING';
  return status;
}
