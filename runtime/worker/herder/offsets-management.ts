/**
 * Offsets management (KIP-875): GET, PATCH and DELETE /connectors/{name}/offsets for source
 * connectors (the worker's offset store) and sink connectors (their consumer group), plus the
 * Tributary replay form `{"timestamp": …}`. Offsets change only while the connector is STOPPED.
 */
import type { ConfigProviders } from '../../config/providers.ts';
import type { SourceConnector } from '../../spi/connector.ts';
import type { TopicPartition } from '../../spi/sink.ts';
import type { SourceOffset, SourcePartition } from '../../data/records.ts';
import { BadRequestError, TributaryError } from '../../errors.ts';
import type { Logger } from '../../logging.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import type { KeyValueStore, Transport } from '../../transport/types.ts';
import { offsetWrite, type SourceOffsetStore } from '../offset-store.ts';
import { vetSinkOffsets, vetSourceOffsets } from '../offsets-validation.ts';
import { parseReplayTarget, planReplay, replaySourceFrom } from '../replay.ts';
import { connectorObject, type ConnectorEntry } from './connector-entry.ts';
import { STATUS } from './config-records.ts';
import type { AlterOffsetsResult, ConnectorOffsets } from './herder-api.ts';
import { subscriptionOf } from './task-wiring.ts';

export interface OffsetsDeps {
  transport: Transport;
  plugins: PluginRegistry;
  providers: ConfigProviders;
  offsets: SourceOffsetStore;
  store: KeyValueStore;
  logger: Logger;
  /** Distributed mode: the connector's tasks stop on other workers; offset changes wait for them. */
  distributed: boolean;
}

export class OffsetsManagement {
  constructor(private readonly deps: OffsetsDeps) {}

  async connectorOffsets(e: ConnectorEntry): Promise<ConnectorOffsets> {
    const name = e.name;
    if (e.type === 'sink') {
      const offsets = await this.deps.transport.admin.groupOffsets(`connect-${name}`);
      return {
        offsets: offsets.map((o) => ({
          partition: { kafka_topic: o.topic, kafka_partition: o.partition },
          offset: { kafka_offset: o.offset },
        })),
      };
    }
    // A source partition made from a provider's value (e.g. a file name) shows the placeholder.
    const redact = this.deps.providers.transform(e.config).redact;
    return {
      offsets: JSON.parse(redact(JSON.stringify(this.deps.offsets.all(name)), true)) as Array<{
        partition: Record<string, unknown>;
        offset: Record<string, unknown> | null;
      }>,
    };
  }

  private ensureStopped(e: ConnectorEntry): void {
    if (e.target !== 'STOPPED' || e.tasks.size > 0 || (this.deps.distributed && e.taskConfigs.length > 0)) {
      throw new BadRequestError(
        `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${e.name}/stop' endpoint`,
      );
    }
  }

  async alter(e: ConnectorEntry, body: unknown): Promise<AlterOffsetsResult> {
    const name = e.name;
    if (body && typeof body === 'object' && 'timestamp' in body)
      return this.replayFrom(e, body as { timestamp: unknown; topics?: unknown });
    const offsets = (body as { offsets?: unknown })?.offsets;
    if (!Array.isArray(offsets) || offsets.length === 0)
      throw new BadRequestError('Partitions / offsets need to be provided for an alter offsets request');
    this.ensureStopped(e);
    if (e.type === 'sink') {
      const changes = offsets.map(
        (o: { partition?: Record<string, unknown>; offset?: Record<string, unknown> | null }) => parseSinkOffset(o),
      );
      await vetSinkOffsets(
        name,
        connectorObject(e, 'sink'),
        e.config,
        changes,
        await this.deps.transport.admin.listTopics(),
      );
      await this.whileSinkGroupEmpties(() => this.deps.transport.admin.alterGroupOffsets(`connect-${name}`, changes));
    } else {
      const changes = offsets.map((o: { partition?: unknown; offset?: unknown }) => {
        if (!o || typeof o.partition !== 'object' || o.partition === null || Array.isArray(o.partition))
          throw new BadRequestError('Source partitions must be JSON objects, e.g. {"filename":"/tmp/in.txt"}');
        if (o.offset !== null && (typeof o.offset !== 'object' || Array.isArray(o.offset)))
          throw new BadRequestError('Source offsets must be JSON objects or null, e.g. {"position":0}');
        return { partition: o.partition as SourcePartition, offset: (o.offset ?? null) as SourceOffset | null };
      });
      await vetSourceOffsets(name, connectorObject(e, 'source'), e.config, changes);
      const writes = changes.map((c) => offsetWrite(name, c.partition, c.offset));
      await this.tasksGone(e);
      await this.deps.offsets.write(writes);
    }
    return { message: 'The offsets for this connector have been altered successfully' };
  }

  /**
   * Distributed mode: a stopped source's tasks stop on their own workers (committing their offsets
   * a last time) shortly after the target state is written; offsets change once they are gone.
   */
  private async tasksGone(e: ConnectorEntry): Promise<void> {
    if (!this.deps.distributed) return;
    const deadline = Date.now() + 30_000;
    while (this.deps.store.entries(STATUS, `status-task-${e.name}-`).length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      await this.deps.store.sync?.();
    }
  }

  /**
   * Distributed mode: a stopped sink's tasks stop on their own workers shortly after the target
   * state is written; Kafka refuses to change a consumer group's offsets until they have left it.
   */
  private async whileSinkGroupEmpties(change: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + (this.deps.distributed ? 30_000 : 0);
    for (;;) {
      try {
        return await change();
      } catch (err) {
        if (Date.now() >= deadline || !(err instanceof TributaryError && err.code === 'TRIB_ERR_GROUP_NOT_EMPTY'))
          throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /** PATCH /connectors/{name}/offsets with {"timestamp": …}: replay a sink from a point in time. */
  private async replayFrom(
    e: ConnectorEntry,
    body: { timestamp: unknown; topics?: unknown },
  ): Promise<{ message: string; redelivery: { records: number; partitions: Array<Record<string, unknown>> } }> {
    if (e.type !== 'sink') {
      this.ensureStopped(e);
      const source = this.deps.plugins.find(e.config['connector.class'] ?? '', ['source'])?.create() as
        SourceConnector | undefined;
      return replaySourceFrom(e.name, source, this.deps.providers.transform(e.config).data, body.timestamp, (writes) =>
        this.deps.offsets.write(writes),
      );
    }
    const target = parseReplayTarget(body.timestamp);
    this.ensureStopped(e);
    if (body.topics !== undefined && (!Array.isArray(body.topics) || body.topics.some((t) => typeof t !== 'string')))
      throw new BadRequestError('"topics" must be an array of topic names');
    const only = body.topics as string[] | undefined;
    const partitions = (await this.subscribedPartitions(this.deps.providers.transform(e.config).data)).filter(
      (tp) => !only || only.includes(tp.topic),
    );
    const plan = await planReplay(this.deps.transport.admin, partitions, target);
    await this.whileSinkGroupEmpties(() =>
      this.deps.transport.admin.alterGroupOffsets(
        `connect-${e.name}`,
        plan.partitions.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset })),
      ),
    );
    const when = target.kind === 'timestamp' ? new Date(target.ms).toISOString() : target.kind;
    this.deps.logger.info({ connector: e.name, target: when, records: plan.records }, 'Sink offsets moved for replay');
    return {
      message: `The offsets for this connector have been altered successfully: ${plan.records} record(s) in ${plan.partitions.length} partition(s) will be re-delivered from ${when} when the connector resumes`,
      redelivery: {
        records: plan.records,
        partitions: plan.partitions.map((p) => ({
          kafka_topic: p.topic,
          kafka_partition: p.partition,
          kafka_offset: p.offset,
          records: p.records,
        })),
      },
    };
  }

  async reset(e: ConnectorEntry): Promise<{ message: string }> {
    const name = e.name;
    this.ensureStopped(e);
    if (e.type === 'sink')
      await this.whileSinkGroupEmpties(() => this.deps.transport.admin.deleteGroup(`connect-${name}`));
    else {
      await this.tasksGone(e);
      await this.deps.offsets.write(this.deps.offsets.all(name).map((o) => offsetWrite(name, o.partition, null)));
    }
    return { message: 'The offsets for this connector have been reset successfully' };
  }

  /** Every existing partition a sink connector subscribes to. */
  private async subscribedPartitions(config: Record<string, string>): Promise<TopicPartition[]> {
    const sub = subscriptionOf(config);
    const all: TopicPartition[] = [];
    for (const t of await this.deps.transport.admin.listTopics()) {
      if (sub.topics.includes(t.name) || (sub.regex && sub.regex.test(t.name))) {
        for (let p = 0; p < t.partitions; p++) all.push({ topic: t.name, partition: p });
      }
    }
    return all.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }
}

function parseSinkOffset(o: { partition?: Record<string, unknown>; offset?: Record<string, unknown> | null }): {
  topic: string;
  partition: number;
  offset: number | null;
} {
  const p = o?.partition;
  if (!p || typeof p !== 'object')
    throw new BadRequestError('Each sink offset needs a "partition" object with kafka_topic and kafka_partition');
  if (!('kafka_topic' in p))
    throw new BadRequestError(
      'Kafka partitions must contain the key \'kafka_topic\' (e.g. {"kafka_topic":"orders","kafka_partition":0})',
    );
  if (!('kafka_partition' in p))
    throw new BadRequestError(
      'Kafka partitions must contain the key \'kafka_partition\' (e.g. {"kafka_topic":"orders","kafka_partition":0})',
    );
  if (p.kafka_topic === null || p.kafka_partition === null)
    throw new BadRequestError('Kafka partitions must have a non-null value for kafka_topic and kafka_partition');
  const partition = Number(p.kafka_partition);
  if (!Number.isInteger(partition))
    throw new BadRequestError(
      `Failed to parse the following Kafka partition value in the provided offsets: '${String(p.kafka_partition)}'. Partition values for sink connectors need to be integers.`,
    );
  if (o.offset === null || o.offset === undefined) return { topic: String(p.kafka_topic), partition, offset: null };
  if (!('kafka_offset' in o.offset))
    throw new BadRequestError('Kafka offsets must contain the key \'kafka_offset\' (e.g. {"kafka_offset":5})');
  const offset = Number(o.offset.kafka_offset);
  if (!Number.isInteger(offset) || offset < 0)
    throw new BadRequestError(
      `Failed to parse the following Kafka offset value in the provided offsets: '${String(o.offset.kafka_offset)}'. Offset values for sink connectors need to be non-negative integers.`,
    );
  return { topic: String(p.kafka_topic), partition, offset };
}
