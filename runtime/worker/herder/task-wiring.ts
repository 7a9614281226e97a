/**
 * Task wiring: builds the WorkerSourceTask or WorkerSinkTask of one task from the connector's
 * config, as Kafka Connect's Worker.startTask: converters, transformation chain, error tolerance
 * and dead letter queue, producer or consumer (with client overrides, topic creation and
 * exactly-once transactional ids), offsets, and the task's metrics.
 */
import { ConnectException } from '../../errors.ts';
import type { Logger } from '../../logging.ts';
import { MBean, type MetricsRegistry } from '../../metrics/registry.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import type { Connector, WorkerContext } from '../../spi/connector.ts';
import type { SinkRecord, SourceRecord } from '../../data/records.ts';
import type { Subscription, TopicCreationSpec, Transport } from '../../transport/types.ts';
import { clientOverrides, overridePolicyOf } from '../../transport/client-override-policy.ts';
import { DeadLetterQueueReporter } from '../dead-letter-queue.ts';
import { ToleranceOperator } from '../error-handling.ts';
import type { SourceOffsetStore } from '../offset-store.ts';
import { parseReplayTarget } from '../replay.ts';
import { SnapshotLog } from '../snapshot-log.ts';
import { createConverter, createHeaderConverter } from '../task-factory.ts';
import { SinkTaskMetrics, SourceTaskMetrics, type TaskErrorCounters, type TaskMetrics } from '../task-metrics.ts';
import type { ConnectorStateName } from '../task-state.ts';
import { TopicCreationRules } from '../topic-creation.ts';
import { transactionBoundaryOf, transactionTimeoutMs } from '../transaction-boundary-config.ts';
import { buildTransformationChain } from '../transformation-chain.ts';
import type { WorkerConfig } from '../worker-config.ts';
import { WorkerSinkTask } from '../worker-sink-task.ts';
import { WorkerSourceTask } from '../worker-source-task.ts';
import type { WorkerTask } from '../worker-task.ts';
import type { ConnectorEntry } from './connector-entry.ts';

export interface TaskWiringDeps {
  worker: WorkerConfig;
  plugins: PluginRegistry;
  transport: Transport;
  metrics: MetricsRegistry;
  offsets: SourceOffsetStore;
  workerContext: WorkerContext;
  /** exactly.once.source.support=enabled (distributed): source tasks write records and offsets in Kafka transactions. */
  exactlyOnce?: { transactionalIdPrefix: string };
  /** A task produced to or consumed from a topic (topic tracking). */
  onTopicUsed(connector: string, topic: string): void;
}

export interface TaskWiring {
  /** The task's config and the connector's, placeholders resolved. */
  taskConfig: Record<string, string>;
  connectorConfig: Record<string, string>;
  taskLogger: Logger;
  listener: (id: { connector: string; task: number }, state: ConnectorStateName, trace?: string) => void;
  taskMetrics: TaskMetrics;
  errorCounters: TaskErrorCounters;
}

/** Builds task `id` of the connector and registers its metrics; the caller starts it. */
export function wireTask(deps: TaskWiringDeps, e: ConnectorEntry, id: number, wiring: TaskWiring): WorkerTask {
  const { worker, plugins, transport, metrics } = deps;
  const { taskConfig, connectorConfig, taskLogger, listener, taskMetrics, errorCounters } = wiring;
  const keyConverter = createConverter('key', connectorConfig, worker, plugins);
  const valueConverter = createConverter('value', connectorConfig, worker, plugins);
  const headerConverter = createHeaderConverter(connectorConfig, worker, plugins);
  const tolerance = ToleranceOperator.fromConfig(connectorConfig, taskLogger, errorCounters);
  const flushMs = worker.getLong('offset.flush.interval.ms');
  const onTopicUsed = (topic: string) => deps.onTopicUsed(e.name, topic);
  // Distributed mode: a worker may run a task whose connector runs elsewhere; the task class comes from a fresh connector object.
  if (!e.instance && !e.descriptor)
    throw new ConnectException(
      `Failed to find any class that implements Connector and which name matches ${e.config['connector.class']}`,
    );
  const connector = e.instance ?? (e.descriptor!.create() as Connector);
  let task: WorkerTask;
  const wrappedListener = (tid: { connector: string; task: number }, state: ConnectorStateName, trace?: string) => {
    listener(tid, state, trace);
    taskMetrics.transition(state);
  };
  // As Kafka Connect's Worker.startTask.
  taskLogger.info(`Creating task ${e.name}-${id}`);
  const instantiated = (t: { version?(): string; constructor: { name: string } }) =>
    taskLogger.info(
      `Instantiated task ${e.name}-${id} with version ${typeof t.version === 'function' ? t.version() : 'unknown'} of type ${t.constructor.name}`,
    );
  if (e.type === 'source') {
    const sourceMetrics = new SourceTaskMetrics();
    const sourceTask = (connector as Extract<Connector, { type: 'source' }>).createTask();
    instantiated(sourceTask);
    task = new WorkerSourceTask({ connector: e.name, task: id }, taskLogger, wrappedListener, {
      task: sourceTask,
      worker: deps.workerContext,
      taskConfig,
      chain: buildTransformationChain<SourceRecord>(connectorConfig, plugins),
      keyConverter,
      valueConverter,
      headerConverter,
      sender: transport.createSender(`connector-producer-${e.name}-${id}`, {
        topicCreation: topicCreationOf(connectorConfig, worker.getBoolean('topic.creation.enable')),
        overrides: clientOverrides(
          connectorConfig,
          'producer',
          overridePolicyOf(worker.getString('connector.client.config.override.policy')),
        ),
        // Kafka Connect's transactional id for a source task; a new instance of the task fences any zombie.
        transactionalId: deps.exactlyOnce ? `${deps.exactlyOnce.transactionalIdPrefix}-${e.name}-${id}` : undefined,
        transactionTimeoutMs: deps.exactlyOnce
          ? transactionTimeoutMs(transactionBoundaryOf(connectorConfig, flushMs))
          : undefined,
      }),
      offsets: deps.offsets,
      tolerance,
      offsetFlushIntervalMs: flushMs,
      transactionBoundary: deps.exactlyOnce ? transactionBoundaryOf(connectorConfig, flushMs) : undefined,
      metrics: { task: taskMetrics, source: sourceMetrics },
      onTopicUsed,
      connectorMetrics: {
        register: (domain, type, tags, attributes) => {
          const bean = new MBean(type, tags, domain);
          bean.owner = { connector: e.name, task: String(id) };
          for (const [name, read] of Object.entries(attributes)) bean.define(name, read);
          metrics.register(bean);
          if (domain.startsWith('debezium.') && tags.context === 'snapshot')
            SnapshotLog.follow(
              taskLogger,
              () => bean.read(),
              () => metrics.list().includes(bean),
            );
        },
      },
    });
    metrics.register(sourceMetrics.bean(e.name, id));
  } else {
    const sinkMetrics = new SinkTaskMetrics();
    const taskCount = e.taskConfigs.length;
    const policy = overridePolicyOf(worker.getString('connector.client.config.override.policy'));
    const consumerOverrides = clientOverrides(connectorConfig, 'consumer', policy);
    const sinkTask = (connector as Extract<Connector, { type: 'sink' }>).createTask();
    instantiated(sinkTask);
    task = new WorkerSinkTask({ connector: e.name, task: id }, taskLogger, wrappedListener, {
      task: sinkTask,
      worker: deps.workerContext,
      taskConfig,
      chain: buildTransformationChain<SinkRecord>(connectorConfig, plugins),
      keyConverter,
      valueConverter,
      headerConverter,
      receiver: transport.createReceiver(`connect-${e.name}`, `connector-consumer-${e.name}-${id}`, {
        ...startPosition(connectorConfig),
        member: { index: id, count: taskCount },
        overrides: consumerOverrides,
      }),
      tolerance,
      dlq: DeadLetterQueueReporter.fromConfig(
        connectorConfig,
        () =>
          transport.createSender(`connector-dlq-producer-${e.name}-${id}`, {
            overrides: clientOverrides(connectorConfig, 'producer', policy),
          }),
        { connector: e.name, task: id },
        errorCounters,
      ),
      offsetFlushIntervalMs: flushMs,
      maxPollRecords: Number(consumerOverrides['max.poll.records'] ?? worker.getInt('consumer.max.poll.records')),
      subscription: subscriptionOf(connectorConfig),
      endOffset: (tp) => transport.admin.endOffset(tp),
      metrics: { task: taskMetrics, sink: sinkMetrics },
      onTopicUsed,
    });
    metrics.register(sinkMetrics.bean(e.name, id));
  }
  metrics.register(taskMetrics.bean(e.name, id));
  metrics.register(errorCounters.bean(e.name, id));
  return task;
}

function topicCreationOf(
  config: Record<string, string>,
  workerEnabled: boolean,
): ((topic: string) => TopicCreationSpec) | undefined {
  const rules = TopicCreationRules.fromConfig(config, workerEnabled);
  return rules ? (topic) => rules.specFor(topic) : undefined;
}

export function subscriptionOf(config: Record<string, string>): Subscription {
  const topics = (config.topics ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const regex = config['topics.regex']?.trim() ? new RegExp(`^(?:${config['topics.regex'].trim()})$`) : null;
  return { topics, regex };
}

/** Where a sink starts partitions it has no committed offsets for: `tributary.start.timestamp`, else the earliest offset. */
function startPosition(config: Record<string, string>): {
  autoOffsetReset: 'earliest' | 'latest';
  startTimestampMs?: number;
} {
  const raw = config['tributary.start.timestamp']?.trim();
  if (!raw) return { autoOffsetReset: 'earliest' };
  const target = parseReplayTarget(raw, 'tributary.start.timestamp');
  return target.kind === 'timestamp'
    ? { autoOffsetReset: 'earliest', startTimestampMs: target.ms }
    : { autoOffsetReset: target.kind };
}
