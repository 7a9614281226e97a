import { describe, expect, it } from 'vitest';
import { MBean, MetricsRegistry } from './registry.ts';
import { RebalanceStats, registerRebalanceMetrics } from './rebalance-metrics.ts';

function registry(families?: ConstructorParameters<typeof MetricsRegistry>[0]): MetricsRegistry {
  const r = new MetricsRegistry(families);
  r.register(
    new MBean('connect-worker-metrics', {})
      .define('connector-count', () => 2)
      .define('task-startup-success-total', () => 3),
  );
  r.register(new MBean('connect-worker-metrics', { connector: 'pg' }).define('connector-running-task-count', () => 1));
  r.register(
    new MBean('connector-metrics', { connector: 'pg' })
      .define('status', () => 'running')
      .define('connector-type', () => 'source')
      .define('connector-class', () => 'io.debezium.connector.postgresql.PostgresConnector'),
  );
  r.register(
    new MBean('source-task-metrics', { connector: 'pg', task: '0' }).define('source-record-poll-rate', () => 1.5),
  );
  r.register(new MBean('task-error-metrics', { connector: 'pg', task: '0' }).define('total-record-errors', () => 0));
  r.register(
    new MBean('app-info', { 'client-id': 'host:8083' })
      .define('version', () => '1.2.3')
      .define('start-time-ms', () => '1700000000000'),
  );
  r.register(new MBean('embedded-log-metrics', {}).define('corrupt-batch-total', () => 0));
  const txId = { n: 0 };
  r.register(
    new MBean('connector-metrics', { context: 'streaming', server: 'srv' }, 'debezium.postgres')
      .define('MilliSecondsBehindSource', () => 12)
      .define('Connected', () => true)
      .define('LastTransactionId', () => `tx-${++txId.n}`)
      .define('RowsScanned', () => ({ 'public.a': 10 })),
  );
  return r;
}

describe('Prometheus exposition', () => {
  it("writes Debezium beans as Debezium's jmx_exporter rules name them: attribute case kept, table label, no string labels", () => {
    const text = registry().toPrometheus();
    expect(text).toContain(
      'debezium_metrics_MilliSecondsBehindSource{plugin="postgres",context="streaming",name="srv"} 12',
    );
    expect(text).toContain('debezium_metrics_Connected{plugin="postgres",context="streaming",name="srv"} 1');
    expect(text).toContain(
      'debezium_metrics_RowsScanned{plugin="postgres",context="streaming",name="srv",table="public.a"} 10',
    );
    expect(text).not.toContain('LastTransactionId');
    expect(text).not.toMatch(/tx-\d/);
  });

  it('writes both Kafka Connect families by default', () => {
    const text = registry().toPrometheus();
    // Strimzi
    expect(text).toContain('kafka_connect_worker_connector_count 2');
    expect(text).toContain('kafka_connect_worker_connector_running_task_count{connector="pg"} 1');
    expect(text).toContain('kafka_connect_connector_status{connector="pg",status="running"} 1');
    expect(text).toContain('kafka_connect_source_task_source_record_poll_rate{connector="pg",task="0"} 1.5');
    expect(text).toContain('kafka_connect_task_error_total_record_errors{connector="pg",task="0"} 0');
    // Confluent
    expect(text).toContain('kafka_connect_connect_worker_metrics_connector_count{connector="aggregate"} 2');
    expect(text).toContain('kafka_connect_connect_worker_metrics_task_startup_success_total{connector="aggregate"} 3');
    expect(text).toContain('kafka_connect_connect_worker_metrics_connector_running_task_count{connector="pg"} 1');
    expect(text).toContain('kafka_connect_connector_metrics{connector="pg",status="running"} 1');
    expect(text).toContain('kafka_connect_connector_metrics{connector="pg",connector_type="source"} 1');
    expect(text).toContain(
      'kafka_connect_connector_metrics{connector="pg",connector_class="io.debezium.connector.postgresql.PostgresConnector"} 1',
    );
    expect(text).toContain('kafka_connect_source_task_metrics_source_record_poll_rate{connector="pg",task="0"} 1.5');
    expect(text).toContain('kafka_connect_task_error_metrics_total_record_errors{connector="pg",task="0"} 0');
    expect(text).toContain('kafka_connect_app_info{client_id="host:8083",version="1.2.3"} 1');
    expect(text).toContain('kafka_connect_app{client_id="host:8083",start_time_ms="1700000000000"} 1');
    // Tributary's own beans once
    expect(text.match(/^kafka_connect_embedded_log_corrupt_batch_total 0$/gm)).toHaveLength(1);
    // every family declared once, with a type
    const declared = [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);
    expect(new Set(declared).size).toBe(declared.length);
  });

  it('keeps only the family metrics.prometheus.families names', () => {
    const strimzi = registry(['strimzi']).toPrometheus();
    expect(strimzi).toContain('kafka_connect_worker_connector_count 2');
    expect(strimzi).not.toContain('kafka_connect_connect_worker_metrics_');
    expect(strimzi).not.toContain('kafka_connect_app');
    const confluent = registry(['confluent']).toPrometheus();
    expect(confluent).toContain('kafka_connect_connect_worker_metrics_connector_count{connector="aggregate"} 2');
    expect(confluent).not.toContain('kafka_connect_worker_connector_count');
    expect(confluent).not.toContain('kafka_connect_connector_status');
    expect(confluent).toContain('debezium_metrics_Connected');
  });

  it('adds the process and runtime collectors, with the JVM names dashboards chart filled from Node', async () => {
    const text = await registry().exposition();
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_active_handles_total',
      'nodejs_gc_duration_seconds',
    ]) {
      expect(text).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    }
    expect(text).toMatch(/^jvm_memory_bytes_used\{area="heap"\} [1-9]\d*$/m);
    expect(text).toMatch(/^jvm_memory_bytes_max\{area="heap"\} [1-9]\d*$/m);
    expect(text).toMatch(/^jvm_memory_used_bytes\{area="heap"\} [1-9]\d*$/m);
    expect(text).toMatch(/^jvm_gc_collection_seconds_sum\{gc="major"\} /m);
    expect(text).toMatch(/^jvm_threads_current [1-9]\d*$/m);
    expect(text).toMatch(/^jvm_threads_peak [1-9]\d*$/m);
  });

  it("writes distributed mode's rebalance bean under both families' names", () => {
    const r = new MetricsRegistry();
    const stats = new RebalanceStats();
    registerRebalanceMetrics(r, stats);
    expect(r.toPrometheus()).toContain(
      'kafka_connect_connect_worker_rebalance_metrics_time_since_last_rebalance_ms +Inf',
    );
    stats.started(1_000);
    expect(r.toPrometheus()).toContain('kafka_connect_connect_worker_rebalance_metrics_rebalancing 1');
    stats.assigned(7, 'worker-a', Date.now());
    const text = r.toPrometheus();
    expect(text).toContain('kafka_connect_connect_worker_rebalance_metrics_completed_rebalances_total 1');
    expect(text).toContain('kafka_connect_connect_worker_rebalance_metrics_completed_rebalances 1');
    expect(text).toContain('kafka_connect_connect_worker_rebalance_metrics_epoch 7');
    expect(text).toContain('kafka_connect_connect_worker_rebalance_metrics_rebalancing 0');
    expect(text).toMatch(/^kafka_connect_connect_worker_rebalance_metrics_time_since_last_rebalance_ms \d+$/m);
    expect(text).toContain('kafka_connect_worker_rebalance_completed_rebalances_total 1');
    expect(text).not.toContain('worker-a');
  });
});
