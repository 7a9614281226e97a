/**
 * Kafka Connect's DeadLetterQueueReporter for sink connectors: a record that failed conversion,
 * transformation or (through the ErrantRecordReporter) put() is written to
 * `errors.deadletterqueue.topic.name` with its original key, value, headers and timestamp, plus
 * the `__connect.errors.*` context headers when `errors.deadletterqueue.context.headers.enable`.
 */
import type { LogHeader, LogRecord, RecordSender } from '../transport/types.ts';
import type { TaskErrorCounters } from './task-metrics.ts';
import type { Stage } from './error-handling.ts';
import type { TaskId } from './task-state.ts';

export const DLQ_HEADER_PREFIX = '__connect.errors.';

export interface DeadLetterQueueConfig {
  topic: string;
  contextHeaders: boolean;
}

export class DeadLetterQueueReporter {
  constructor(
    private readonly cfg: DeadLetterQueueConfig,
    private readonly sender: RecordSender,
    private readonly taskId: TaskId,
    private readonly counters: TaskErrorCounters,
  ) {}

  static fromConfig(
    config: Record<string, string>,
    sender: () => RecordSender,
    taskId: TaskId,
    counters: TaskErrorCounters,
  ): DeadLetterQueueReporter | null {
    const topic = (config['errors.deadletterqueue.topic.name'] ?? '').trim();
    if (!topic) return null;
    const contextHeaders =
      (config['errors.deadletterqueue.context.headers.enable'] ?? 'false').trim().toLowerCase() === 'true';
    return new DeadLetterQueueReporter({ topic, contextHeaders }, sender(), taskId, counters);
  }

  get topic(): string {
    return this.cfg.topic;
  }

  async report(original: LogRecord, stage: Stage, className: string, error: Error): Promise<void> {
    this.counters.dlqRequests++;
    const headers: LogHeader[] = original.headers.map((h) => ({ ...h }));
    if (this.cfg.contextHeaders) {
      const add = (k: string, v: string) => headers.push({ key: DLQ_HEADER_PREFIX + k, value: Buffer.from(v, 'utf8') });
      add('topic', original.topic);
      add('partition', String(original.partition));
      add('offset', String(original.offset));
      add('connector.name', this.taskId.connector);
      add('task.id', String(this.taskId.task));
      add('stage', stage);
      add('class.name', className);
      add('exception.class.name', javaClassName(error));
      if (error.message) add('exception.message', error.message);
      add('exception.stacktrace', error.stack ?? String(error));
    }
    try {
      await this.sender.send([
        {
          topic: this.cfg.topic,
          partition: null,
          key: original.key,
          value: original.value,
          timestamp: original.timestamp,
          headers,
        },
      ]);
    } catch (err) {
      this.counters.dlqFailures++;
      throw err;
    }
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}

const JAVA_NAMES: Record<string, string> = {
  DataException: 'org.apache.kafka.connect.errors.DataException',
  ConnectException: 'org.apache.kafka.connect.errors.ConnectException',
  RetriableException: 'org.apache.kafka.connect.errors.RetriableException',
  ConfigException: 'org.apache.kafka.common.config.ConfigException',
};

/** Kafka Connect consumers of the DLQ match on Java class names; ours map to theirs. */
function javaClassName(err: Error): string {
  return JAVA_NAMES[err.name] ?? err.name ?? 'Error';
}
