/** The per-task MBeans (connector-task-metrics, source-/sink-task-metrics, task-error-metrics). */
import { MBean, type MetricsRegistry, WindowedStat } from '../metrics/registry.ts';
import { MetricGroups } from '../metrics/names.ts';

export class TaskErrorCounters {
  failures = 0;
  errors = 0;
  skippedTotal = 0;
  retries = 0;
  loggedTotal = 0;
  dlqRequests = 0;
  dlqFailures = 0;
  lastErrorTs = 0;

  attempt(): void {}
  failure(): void {
    this.failures++;
  }
  error(): void {
    this.errors++;
    this.lastErrorTs = Date.now();
  }
  skip(): void {
    this.skippedTotal++;
  }
  retry(): void {
    this.retries++;
  }
  logged(): void {
    this.loggedTotal++;
  }

  bean(connector: string, task: number): MBean {
    return new MBean(MetricGroups.taskError, { connector, task: String(task) })
      .define('total-record-failures', () => this.failures)
      .define('total-record-errors', () => this.errors)
      .define('total-records-skipped', () => this.skippedTotal)
      .define('total-retries', () => this.retries)
      .define('total-errors-logged', () => this.loggedTotal)
      .define('deadletterqueue-produce-requests', () => this.dlqRequests)
      .define('deadletterqueue-produce-failures', () => this.dlqFailures)
      .define('last-error-timestamp', () => this.lastErrorTs);
  }
}

export class TaskMetrics {
  readonly batchSize = new WindowedStat();
  readonly commitTime = new WindowedStat();
  commitSuccess = 0;
  commitFailure = 0;
  private runningSince: number | null = null;
  private pausedSince: number | null = null;
  private runningMs = 0;
  private pausedMs = 0;
  private readonly createdAt = Date.now();

  constructor(private readonly status: () => string) {}

  transition(state: string): void {
    const now = Date.now();
    if (this.runningSince !== null) this.runningMs += now - this.runningSince;
    if (this.pausedSince !== null) this.pausedMs += now - this.pausedSince;
    this.runningSince = state === 'RUNNING' ? now : null;
    this.pausedSince = state === 'PAUSED' ? now : null;
  }

  private ratio(which: 'running' | 'paused'): number {
    const now = Date.now();
    const total = now - this.createdAt;
    if (total <= 0) return 0;
    const ms =
      which === 'running'
        ? this.runningMs + (this.runningSince !== null ? now - this.runningSince : 0)
        : this.pausedMs + (this.pausedSince !== null ? now - this.pausedSince : 0);
    return ms / total;
  }

  bean(connector: string, task: number): MBean {
    const pct = (a: number, b: number) => (a + b === 0 ? 0 : a / (a + b));
    return new MBean(MetricGroups.task, { connector, task: String(task) })
      .define('status', () => this.status().toLowerCase())
      .define('running-ratio', () => this.ratio('running'))
      .define('pause-ratio', () => this.ratio('paused'))
      .define('offset-commit-max-time-ms', () => this.commitTime.max())
      .define('offset-commit-avg-time-ms', () => this.commitTime.avg())
      .define('batch-size-max', () => this.batchSize.max())
      .define('batch-size-avg', () => this.batchSize.avg())
      .define('offset-commit-failure-percentage', () => pct(this.commitFailure, this.commitSuccess))
      .define('offset-commit-success-percentage', () => pct(this.commitSuccess, this.commitFailure));
  }
}

export class SourceTaskMetrics {
  readonly polled = new WindowedStat();
  readonly written = new WindowedStat();
  readonly pollTime = new WindowedStat();
  readonly activeCount = new WindowedStat();
  active = 0;
  activeMax = 0;

  bean(connector: string, task: number): MBean {
    return new MBean(MetricGroups.sourceTask, { connector, task: String(task) })
      .define('source-record-poll-rate', () => this.polled.rate())
      .define('source-record-poll-total', () => this.polled.total)
      .define('source-record-write-rate', () => this.written.rate())
      .define('source-record-write-total', () => this.written.total)
      .define('poll-batch-max-time-ms', () => this.pollTime.max())
      .define('poll-batch-avg-time-ms', () => this.pollTime.avg())
      .define('source-record-active-count', () => this.active)
      .define('source-record-active-count-max', () => this.activeMax)
      .define('source-record-active-count-avg', () => this.activeCount.avg());
  }
}

export class SinkTaskMetrics {
  readonly read = new WindowedStat();
  readonly sent = new WindowedStat();
  readonly putTime = new WindowedStat();
  readonly commits = new WindowedStat();
  readonly commitSkips = new WindowedStat();
  readonly activeCount = new WindowedStat();
  commitSeq = 0;
  partitions = 0;
  lagMax = 0;
  active = 0;
  activeMax = 0;

  bean(connector: string, task: number): MBean {
    return new MBean(MetricGroups.sinkTask, { connector, task: String(task) })
      .define('sink-record-read-rate', () => this.read.rate())
      .define('sink-record-read-total', () => this.read.total)
      .define('sink-record-send-rate', () => this.sent.rate())
      .define('sink-record-send-total', () => this.sent.total)
      .define('sink-record-lag-max', () => this.lagMax)
      .define('partition-count', () => this.partitions)
      .define('offset-commit-seq-no', () => this.commitSeq)
      .define('offset-commit-completion-rate', () => this.commits.rate())
      .define('offset-commit-completion-total', () => this.commits.total)
      .define('offset-commit-skip-rate', () => this.commitSkips.rate())
      .define('offset-commit-skip-total', () => this.commitSkips.total)
      .define('put-batch-max-time-ms', () => this.putTime.max())
      .define('put-batch-avg-time-ms', () => this.putTime.avg())
      .define('sink-record-active-count', () => this.active)
      .define('sink-record-active-count-max', () => this.activeMax)
      .define('sink-record-active-count-avg', () => this.activeCount.avg());
  }
}

export function registerAll(registry: MetricsRegistry, beans: MBean[]): void {
  for (const b of beans) registry.register(b);
}
