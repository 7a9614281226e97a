/**
 * The S3 sink task, loaded on first start: the AWS SDK takes about a second to import, which every
 * worker and CLI start would pay otherwise (the connector class is registered with the built-ins).
 */
import type { SinkRecord } from '../../sdk/data.ts';
import type { SinkTask, SinkTaskContext, TopicPartition, TopicPartitionOffset } from '../../sdk/spi.ts';
import type { S3SinkTask } from './s3-sink-task.ts';
import { S3_SINK_VERSION } from './version.ts';

export { S3_SINK_VERSION };

export class LazyS3SinkTask implements SinkTask {
  private task: S3SinkTask | null = null;
  private context!: SinkTaskContext;

  version(): string {
    return S3_SINK_VERSION;
  }
  initialize(context: SinkTaskContext): void {
    this.context = context;
  }

  async start(props: Record<string, string>): Promise<void> {
    // '.js', not '.ts': tsc leaves a dynamic import's '.ts' unrewritten when the file also imports the
    // module's types, and the compiled worker (dist/) then fails to load the task.
    const { S3SinkTask } = await import('./s3-sink-task.js');
    this.task = new S3SinkTask();
    this.task.initialize(this.context);
    await this.task.start(props);
  }

  private started(): S3SinkTask {
    if (!this.task) throw new Error('S3 sink task used before start()');
    return this.task;
  }

  open(partitions: TopicPartition[]): Promise<void> {
    return this.started().open(partitions);
  }
  put(records: SinkRecord[]): Promise<void> {
    return this.started().put(records);
  }
  preCommit(offsets: TopicPartitionOffset[]): Promise<TopicPartitionOffset[]> {
    return this.started().preCommit(offsets);
  }
  close(partitions: TopicPartition[]): Promise<void> {
    return this.task ? this.task.close(partitions) : Promise.resolve();
  }
  stop(): Promise<void> {
    return this.task ? this.task.stop() : Promise.resolve();
  }
}
