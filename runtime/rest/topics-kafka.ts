/**
 * The topic console against Kafka: reads through the project's Kafka transport with a consumer
 * group of its own (never committed, so nothing is left behind but an empty group), seeking each
 * partition to the wanted position; deletes topics with the Kafka admin client.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { LogRecord } from '../log/types.ts';
import { kafkaClientConfig } from '../transport/kafka-client-config.ts';
import { KafkaTransport } from '../transport/kafka-transport.ts';
import type { Transport } from '../transport/types.ts';
import type { Logger } from '../logging.ts';
import { TopicConsole, type TopicBackend } from './topics-console.ts';

/** A console straight against Kafka (the CLI's `--bootstrap-server`); `props` may carry security.* / sasl.* keys. */
export async function kafkaTopicConsole(props: Record<string, string>, logger: Logger): Promise<TopicConsole> {
  const transport = new KafkaTransport({ props, logger, defaultPartitions: 1 });
  await transport.connect();
  return new TopicConsole(transport, kafkaBackend(transport, props, true));
}

/** `ownsTransport`: closing the console closes the transport (not when it is the worker's). */
export function kafkaBackend(transport: Transport, props: Record<string, string>, ownsTransport = false): TopicBackend {
  return {
    async deleteTopic(name) {
      const admin = new Kafka({
        ...kafkaClientConfig(props, 'tributary-console', 'admin'),
        logLevel: logLevel.NOTHING,
      }).admin();
      await admin.connect();
      try {
        await admin.deleteTopics({ topics: [name] });
      } finally {
        await admin.disconnect();
      }
    },
    async topicConfigs() {
      return {};
    },
    async read(topic, positions, limit, waitMs) {
      const ends = new Map<number, number>();
      for (const p of positions.keys()) ends.set(p, await transport.admin.endOffset({ topic, partition: p }));
      const pending = [...positions].filter(([p, from]) => from < ends.get(p)!);
      if (pending.length === 0 && waitMs <= 0) return [];
      const receiver = transport.createReceiver(`tributary-console-${randomUUID()}`, 'tributary-console', {
        autoOffsetReset: 'latest',
      });
      const out: LogRecord[] = [];
      try {
        await receiver.subscribe(
          { topics: [topic], regex: null },
          {
            revoked: async () => undefined,
            assigned: async (tps) => {
              for (const tp of tps) {
                const at = positions.get(tp.partition);
                if (at === undefined) receiver.pause([tp]);
                else receiver.seek(tp, at);
              }
            },
          },
        );
        // Group join plus a fetch: allow for the broker's rebalance delay even without waiting for new records.
        const deadline = Date.now() + Math.max(waitMs, 0) + 15_000;
        const reached = new Map<number, number>();
        const allReached = () => [...positions].every(([p]) => (reached.get(p) ?? positions.get(p)!) >= ends.get(p)!);
        const done = () => out.length >= limit || (waitMs > 0 ? out.length > 0 : allReached());
        while (!done() && Date.now() < deadline) {
          for (const r of await receiver.poll(limit - out.length, 500)) {
            if (!positions.has(r.partition) || r.offset < positions.get(r.partition)!) continue;
            out.push(r);
            reached.set(r.partition, r.offset + 1);
          }
        }
      } finally {
        await receiver.close();
      }
      return out.sort((a, b) => a.partition - b.partition || a.offset - b.offset).slice(0, limit);
    },
    async close() {
      if (ownsTransport) await transport.close();
    },
  };
}
