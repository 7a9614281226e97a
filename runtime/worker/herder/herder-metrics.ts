/** The worker's and each connector's MBeans (Kafka Connect's connect-worker-metrics and connector-metrics). */
import { MBean, type MetricsRegistry } from '../../metrics/registry.ts';
import { MetricGroups } from '../../metrics/names.ts';
import type { ConnectorStateName } from '../task-state.ts';
import type { ConnectorEntry } from './connector-entry.ts';

export interface StartupCounts {
  connector: { success: number; failure: number };
  task: { success: number; failure: number };
}

export function registerWorkerMetrics(
  metrics: MetricsRegistry,
  connectors: Map<string, ConnectorEntry>,
  startups: StartupCounts,
): void {
  const pct = (ok: number, bad: number) => (ok + bad === 0 ? 0 : ok / (ok + bad));
  const taskCount = () => [...connectors.values()].reduce((n, e) => n + e.tasks.size, 0);
  const { connector: c, task: t } = startups;
  metrics.register(
    new MBean(MetricGroups.worker, {})
      .define('connector-count', () => connectors.size)
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

export function registerConnectorMetrics(metrics: MetricsRegistry, e: ConnectorEntry): void {
  const count = (state: ConnectorStateName) => [...e.taskStates.values()].filter((s) => s.state === state).length;
  metrics.register(
    new MBean(MetricGroups.connector, { connector: e.name })
      .define('status', () => e.state.state.toLowerCase())
      .define('connector-type', () => e.type)
      .define('connector-class', () => e.config['connector.class'])
      .define('connector-version', () => e.instance?.version() ?? e.descriptor?.version ?? 'unknown'),
  );
  metrics.register(
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
