/**
 * Prometheus text exposition (format 0.0.4) of the MBeans, under the names the exporter rules
 * users deploy would give them, so their dashboards and alerts work unchanged:
 * - Debezium beans as Debezium's jmx_exporter example names them
 *   (debezium/debezium-examples `monitoring/debezium-jmx-exporter/config.yml`):
 *   `debezium_metrics_<Attribute>{plugin,name,context[,table]}`, the attribute's case kept.
 * - Kafka Connect beans in one or both of the families users run:
 *   `strimzi` (Strimzi's `metrics-config.yml`: `kafka_connect_worker_*`, `kafka_connect_source_task_*`,
 *   `kafka_connect_connector_status{status}`, …) and `confluent` (confluentinc/jmx-monitoring-stacks
 *   `shared-assets/jmx-exporter/kafka_connect.yml`: `kafka_connect_connect_worker_metrics_*`,
 *   `kafka_connect_<type>_task_metrics_*`, `kafka_connect_connector_metrics{status,connector_type,…}`,
 *   `kafka_connect_app_info`/`kafka_connect_app`).
 * String attributes are never sample values; only the stable ones (listed below) become label
 * values of info-style samples, as those rules do. Others (transaction ids, file names, GTID
 * sets) stay readable over Jolokia only, as jmx_exporter skips non-numeric attributes.
 */
import type { AttributeValue, MBean } from './registry.ts';

export const METRIC_FAMILIES = ['strimzi', 'confluent'] as const;
export type MetricFamily = (typeof METRIC_FAMILIES)[number];

/** Kafka Connect string attributes whose values come from a small fixed set (or never change). */
const STABLE_CONNECT_STRINGS = new Set([
  'status',
  'connector-type',
  'connector-class',
  'connector-version',
  'version',
  'commit-id',
  'start-time-ms',
]);

interface Family {
  type: 'gauge' | 'counter' | 'untyped';
  help: string;
  lines: string[];
}

type Label = [string, string];

class Exposition {
  private readonly families = new Map<string, Family>();

  add(name: string, help: string, labels: Label[], value: number, type?: Family['type']): void {
    const safe = sanitizeName(name);
    let fam = this.families.get(safe);
    if (!fam) {
      fam = { type: type ?? (safe.endsWith('_total') ? 'counter' : 'gauge'), help, lines: [] };
      this.families.set(safe, fam);
    }
    const body = labels.map(([k, v]) => `${sanitizeLabel(k)}="${escapeLabel(v)}"`).join(',');
    fam.lines.push(`${safe}${body ? `{${body}}` : ''} ${formatNumber(value)}`);
  }

  text(): string {
    const out: string[] = [];
    for (const [name, fam] of [...this.families.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      out.push(`# HELP ${name} ${fam.help}`, `# TYPE ${name} ${fam.type}`, ...fam.lines);
    }
    return out.length ? out.join('\n') + '\n' : '';
  }
}

/** A number for Prometheus, or null when the value is not numeric (skipped, as jmx_exporter does). */
function numeric(value: AttributeValue): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return null;
}

function isMap(value: AttributeValue): value is Record<string, number | string> {
  return value !== null && typeof value === 'object';
}

function debeziumBean(out: Exposition, bean: MBean): void {
  const labels: Label[] = [['plugin', bean.domain.slice('debezium.'.length)]];
  for (const [k, v] of Object.entries(bean.tags)) labels.push([k === 'server' ? 'name' : k, v]);
  for (const [attr, value] of Object.entries(bean.read())) {
    const name = `debezium_metrics_${attr}`;
    const help = `Debezium ${bean.type} ${attr}`;
    if (isMap(value)) {
      // Map<String,String> attributes (SourceEventPosition) are dropped like other strings: values never become labels.
      for (const [table, v] of Object.entries(value))
        if (typeof v === 'number') out.add(name, help, [...labels, ['table', table]], v, 'gauge');
      continue;
    }
    const n = numeric(value);
    if (n !== null) out.add(name, help, labels, n, 'gauge');
  }
}

/** Strimzi's rules: `kafka.connect<type=(.+)-metrics, …><>attr` → `kafka_connect_$1_attr`, `connect-` dropped; string status as a label. */
function strimziBean(out: Exposition, bean: MBean): void {
  const group = bean.type.replace(/-metrics$/, '').replace(/^connect-/, '');
  const labels = Object.entries(bean.tags);
  for (const [attr, value] of Object.entries(bean.read())) {
    const name = `kafka_connect_${group}_${attr}`.toLowerCase();
    const help = `${bean.type} ${attr}`;
    if (typeof value === 'string') {
      if (STABLE_CONNECT_STRINGS.has(attr)) out.add(name, help, [...labels, [attr, value]], 1, 'gauge');
      continue;
    }
    if (isMap(value)) {
      for (const [k, v] of Object.entries(value))
        if (typeof v === 'number') out.add(name, help, [...labels, ['key', k]], v);
      continue;
    }
    const n = numeric(value);
    if (n !== null) out.add(name, help, labels, n);
  }
}

const CONFLUENT_TASK_TYPE = /^(.+)-task-metrics$/;

/** Confluent's rules (jmx-monitoring-stacks kafka_connect.yml); beans those rules do not match return false. */
function confluentBean(out: Exposition, bean: MBean): boolean {
  const attrs = Object.entries(bean.read());
  const numbers = (name: (attr: string) => string, labels: Label[]) => {
    for (const [attr, value] of attrs) {
      const n = numeric(value);
      if (n !== null) out.add(name(attr), `${bean.type} ${attr}`, labels, n);
    }
  };
  if (bean.type === 'connect-worker-metrics') {
    numbers((a) => `kafka_connect_connect_worker_metrics_${a}`, [['connector', bean.tags.connector ?? 'aggregate']]);
    return true;
  }
  if (bean.type === 'connect-worker-rebalance-metrics') {
    numbers((a) => `kafka_connect_connect_worker_rebalance_metrics_${a}`, []);
    // jmx_exporter 1.x drops `_total` from this untyped name: the 1.x dashboard queries `…_completed_rebalances`.
    for (const [attr, value] of attrs) {
      const n = numeric(value);
      if (n !== null && attr.endsWith('-total'))
        out.add(
          `kafka_connect_connect_worker_rebalance_metrics_${attr.slice(0, -'-total'.length)}`,
          `${bean.type} ${attr} (jmx_exporter 1.x name)`,
          [],
          n,
          'gauge',
        );
    }
    return true;
  }
  if (bean.type === 'connector-metrics' && bean.tags.connector !== undefined) {
    for (const [attr, value] of attrs) {
      if (typeof value === 'string' && STABLE_CONNECT_STRINGS.has(attr)) {
        out.add(
          'kafka_connect_connector_metrics',
          'kafka.connect:type=connector-metrics, one sample per attribute',
          [
            ['connector', bean.tags.connector],
            [attr, value],
          ],
          1,
          'untyped',
        );
      }
    }
    return true;
  }
  if (bean.type === 'app-info' && bean.tags['client-id'] !== undefined) {
    for (const [attr, value] of attrs) {
      if (value === null || isMap(value)) continue;
      const labels: Label[] = [
        ['client_id', bean.tags['client-id']],
        [attr, String(value)],
      ];
      // jmx_exporter 0.x keeps the rule's name; 1.x drops the reserved `_info` suffix: dashboards of both kinds exist.
      out.add('kafka_connect_app_info', 'kafka.connect:type=app-info (jmx_exporter 0.x name)', labels, 1, 'untyped');
      out.add('kafka_connect_app', 'kafka.connect:type=app-info (jmx_exporter 1.x name)', labels, 1, 'untyped');
    }
    return true;
  }
  const task = CONFLUENT_TASK_TYPE.exec(bean.type);
  if (
    (task || bean.type === 'task-error-metrics') &&
    bean.tags.connector !== undefined &&
    bean.tags.task !== undefined
  ) {
    const prefix = task ? `kafka_connect_${task[1]}_task_metrics_` : 'kafka_connect_task_error_metrics_';
    numbers(
      (a) => prefix + a,
      [
        ['connector', bean.tags.connector],
        ['task', bean.tags.task],
      ],
    );
    return true;
  }
  return false;
}

/** Kafka's client beans (`kafka.<client>:type=<group>-metrics,client-id=…`), kafka-client-metrics.ts and the Connect group's coordinator bean. */
const CLIENT_BEAN =
  /^(?:kafka\.producer:type=producer|kafka\.consumer:type=consumer|kafka\.admin\.client:type=admin-client|kafka\.connect:type=connect|kafka\.connect:type=connect-coordinator)-metrics$/;
/** Strimzi's client rule exports only counters (`-total`) and gauges with these suffixes. */
const STRIMZI_CLIENT_GAUGE = /-(?:avg|bytes|count|ratio|age|flight|threads|connectors|tasks|ago)$/;

/**
 * Client beans under each rule set's name:
 * - Strimzi: `kafka.(.+)<type=(.+)-metrics, client-id=(.*)>` → `kafka_$2_<attr>{clientid}` (kafka_producer_outgoing_byte_total, kafka_admin_client_connection_count, kafka_connect_coordinator_assigned_tasks);
 * - Confluent: `kafka.connect<type=(.+), client-id=(.+)>` → `kafka_connect_$1_<attr>{client_id}`; producer/consumer beans
 *   `kafka_<client>_<type>_<attr>{client_type,client_id}`; admin clients are on its blacklist;
 * - Debezium's example rules (always, as Debezium's beans): `kafka.connect<type=connect-metrics, client-id=…>` → `kafka_connect_metrics_<attr>{client}`.
 */
function kafkaClientBean(out: Exposition, bean: MBean, families: readonly MetricFamily[]): boolean {
  const clientId = bean.tags['client-id'];
  if (clientId === undefined || !CLIENT_BEAN.test(`${bean.domain}:type=${bean.type}`)) return false;
  const group = bean.type.slice(0, -'-metrics'.length);
  const client = bean.domain.slice('kafka.'.length);
  for (const [attr, value] of Object.entries(bean.read())) {
    const n = numeric(value);
    if (n === null) continue;
    const help = `${bean.domain}:type=${bean.type} ${attr}`;
    if (families.includes('strimzi') && (attr.endsWith('-total') || STRIMZI_CLIENT_GAUGE.test(attr))) {
      out.add(
        `kafka_${group}_${attr}`.toLowerCase(),
        help,
        [['clientid', clientId]],
        n,
        attr.endsWith('-total') ? 'counter' : 'gauge',
      );
    }
    if (families.includes('confluent') && client === 'connect') {
      out.add(`kafka_connect_${bean.type}_${attr}`, help, [['client_id', clientId]], n, 'untyped');
      // jmx_exporter 1.x drops `_total` from these untyped names: kafka-connect-cluster queries `…_failed_authentication`.
      if (attr.endsWith('-total'))
        out.add(
          `kafka_connect_${bean.type}_${attr.slice(0, -'-total'.length)}`,
          `${help} (jmx_exporter 1.x name)`,
          [['client_id', clientId]],
          n,
          'untyped',
        );
    } else if (families.includes('confluent') && client !== 'admin.client') {
      out.add(
        `kafka_${client}_${bean.type}_${attr}`,
        help,
        [
          ['client_type', client],
          ['client_id', clientId],
        ],
        n,
        'gauge',
      );
    }
    if (bean.type === 'connect-metrics')
      out.add(`kafka_connect_metrics_${attr}`, help, [['client', clientId]], n, 'untyped');
  }
  return true;
}

/** The Kafka Connect bean types both families name; others (Tributary's own) are written once, Strimzi-style. */
const CONNECT_TYPES = new Set([
  'connect-worker-metrics',
  'connect-worker-rebalance-metrics',
  'connector-metrics',
  'connector-task-metrics',
  'source-task-metrics',
  'sink-task-metrics',
  'task-error-metrics',
  'app-info',
]);

export function toPrometheusText(beans: Iterable<MBean>, families: readonly MetricFamily[]): string {
  const out = new Exposition();
  for (const bean of beans) {
    if (bean.domain.startsWith('debezium.')) {
      debeziumBean(out, bean);
      continue;
    }
    if (kafkaClientBean(out, bean, families)) continue;
    if (!CONNECT_TYPES.has(bean.type)) {
      strimziBean(out, bean);
      continue;
    }
    if (families.includes('strimzi') && bean.type !== 'app-info') strimziBean(out, bean);
    if (families.includes('confluent')) confluentBean(out, bean);
  }
  return out.text();
}

/** jmx_exporter's safeName: invalid characters become `_`, runs of `_` collapse to one. */
function sanitizeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/__+/g, '_');
}

function sanitizeLabel(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_').replace(/__+/g, '_');
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
