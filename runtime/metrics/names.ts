/**
 * Every metric group and attribute name the worker publishes, exactly as Kafka Connect's
 * ConnectMetricsRegistry names them (MBean `kafka.connect:type=<group>,connector=<c>,task=<t>`).
 */
export const JMX_DOMAIN = 'kafka.connect';

export const MetricGroups = {
  worker: 'connect-worker-metrics',
  connector: 'connector-metrics',
  task: 'connector-task-metrics',
  sourceTask: 'source-task-metrics',
  sinkTask: 'sink-task-metrics',
  taskError: 'task-error-metrics',
} as const;

export type MetricGroup = (typeof MetricGroups)[keyof typeof MetricGroups];

export const WorkerMetrics = [
  'connector-count',
  'task-count',
  'connector-startup-attempts-total',
  'connector-startup-success-total',
  'connector-startup-success-percentage',
  'connector-startup-failure-total',
  'connector-startup-failure-percentage',
  'task-startup-attempts-total',
  'task-startup-success-total',
  'task-startup-success-percentage',
  'task-startup-failure-total',
  'task-startup-failure-percentage',
] as const;

export const WorkerConnectorMetrics = [
  'connector-total-task-count',
  'connector-running-task-count',
  'connector-paused-task-count',
  'connector-failed-task-count',
  'connector-unassigned-task-count',
  'connector-destroyed-task-count',
  'connector-restarting-task-count',
] as const;

export const ConnectorMetrics = ['status', 'connector-type', 'connector-class', 'connector-version'] as const;

export const TaskMetrics = [
  'status',
  'running-ratio',
  'pause-ratio',
  'offset-commit-max-time-ms',
  'offset-commit-avg-time-ms',
  'batch-size-max',
  'batch-size-avg',
  'offset-commit-failure-percentage',
  'offset-commit-success-percentage',
] as const;

export const SourceTaskMetrics = [
  'source-record-poll-rate',
  'source-record-poll-total',
  'source-record-write-rate',
  'source-record-write-total',
  'poll-batch-max-time-ms',
  'poll-batch-avg-time-ms',
  'source-record-active-count',
  'source-record-active-count-max',
  'source-record-active-count-avg',
] as const;

export const SinkTaskMetrics = [
  'sink-record-read-rate',
  'sink-record-read-total',
  'sink-record-send-rate',
  'sink-record-send-total',
  'sink-record-lag-max',
  'partition-count',
  'offset-commit-seq-no',
  'offset-commit-completion-rate',
  'offset-commit-completion-total',
  'offset-commit-skip-rate',
  'offset-commit-skip-total',
  'put-batch-max-time-ms',
  'put-batch-avg-time-ms',
  'sink-record-active-count',
  'sink-record-active-count-max',
  'sink-record-active-count-avg',
] as const;

export const TaskErrorMetrics = [
  'total-record-failures',
  'total-record-errors',
  'total-records-skipped',
  'total-retries',
  'total-errors-logged',
  'deadletterqueue-produce-requests',
  'deadletterqueue-produce-failures',
  'last-error-timestamp',
] as const;

/** Tributary's own: the embedded log of the worker (`kafka.connect:type=embedded-log-metrics`). */
export const EmbeddedLogMetricGroup = 'embedded-log-metrics';

export const EmbeddedLogMetrics = [
  'data-dir-size-bytes',
  'corrupt-batch-total',
  'storage-fault-active',
  'storage-fault-seconds',
] as const;
