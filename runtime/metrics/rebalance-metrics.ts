/**
 * Kafka Connect's `kafka.connect:type=connect-worker-rebalance-metrics` (WorkerRebalanceMetrics,
 * distributed mode only): the distributed worker reports when a rebalance starts and when its
 * assignment arrives.
 */
import { MBean, WindowedStat, type MetricsRegistry } from './registry.ts';

export class RebalanceStats {
  private startedAt: number | null = null;
  private lastCompletedAt: number | null = null;
  private readonly durations = new WindowedStat();
  completed = 0;
  epoch = -1;
  leader = '';

  started(now = Date.now()): void {
    this.startedAt ??= now;
  }

  /** An assignment arrived: the rebalance (if one was under way) is over. */
  assigned(epoch: number, leader: string | null, now = Date.now()): void {
    if (this.startedAt !== null) this.durations.record(now - this.startedAt, now);
    this.startedAt = null;
    this.completed++;
    this.lastCompletedAt = now;
    this.epoch = epoch;
    this.leader = leader ?? '';
  }

  get rebalancing(): boolean {
    return this.startedAt !== null;
  }

  /** As Kafka Connect: +Infinity before the first rebalance completed. */
  timeSinceLast(now = Date.now()): number {
    return this.lastCompletedAt === null ? Infinity : now - this.lastCompletedAt;
  }

  avgMs(): number {
    return this.durations.avg();
  }
  maxMs(): number {
    return this.durations.max();
  }
}

export function registerRebalanceMetrics(metrics: MetricsRegistry, stats: RebalanceStats): void {
  metrics.register(
    new MBean('connect-worker-rebalance-metrics', {})
      .define('connect-protocol', () => 'sessioned')
      .define('leader-name', () => stats.leader)
      .define('epoch', () => stats.epoch)
      .define('completed-rebalances-total', () => stats.completed)
      .define('rebalancing', () => stats.rebalancing)
      .define('rebalance-max-time-ms', () => stats.maxMs())
      .define('rebalance-avg-time-ms', () => stats.avgMs())
      .define('time-since-last-rebalance-ms', () => stats.timeSinceLast()),
  );
}

/**
 * The group client's `kafka.connect:type=connect-coordinator-metrics,client-id=<group client>`
 * (Kafka Connect's WorkerCoordinator): what this worker was assigned in the last rebalance.
 */
export function registerCoordinatorMetrics(
  metrics: MetricsRegistry,
  clientId: string,
  assigned: () => { connectors: number; tasks: number },
): void {
  metrics.register(
    new MBean('connect-coordinator-metrics', { 'client-id': clientId })
      .define('assigned-connectors', () => assigned().connectors)
      .define('assigned-tasks', () => assigned().tasks),
  );
}
