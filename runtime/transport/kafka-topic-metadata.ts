/**
 * Topic metadata right after a topic was created. In a multi-broker cluster the broker a client
 * asks may not know the new topic yet (UNKNOWN_TOPIC_OR_PARTITION) or its partitions may not have a
 * leader yet (LEADER_NOT_AVAILABLE); kafkajs's createTopics({ waitForLeaders }) retries only the
 * latter, so it fails on the former. This waits for both.
 */
import type { Admin } from 'kafkajs';
import { ConnectException } from '../errors.ts';
import { sleep } from '../util/sleep.ts';
import { isTransientKafkaError } from './kafka-retry.ts';

type TopicMetadata = Awaited<ReturnType<Admin['fetchTopicMetadata']>>['topics'][number];

const PROPAGATING = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
]);

/** The metadata of `topics` once every partition of each has a leader; fails after `timeoutMs`. */
export async function awaitTopicMetadata(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<TopicMetadata[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let reason: string;
    try {
      const meta = await admin.fetchTopicMetadata({ topics });
      const leaderless = meta.topics.filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0));
      if (leaderless.length === 0) return meta.topics;
      reason = `no leader yet for ${leaderless.map((t) => t.name).join(', ')}`;
    } catch (err) {
      const type = (err as { type?: string }).type;
      if (!(type && PROPAGATING.has(type)) && !isTransientKafkaError(err)) throw err;
      reason = (err as Error).message;
    }
    if (Date.now() > deadline)
      throw new ConnectException(`Topics ${topics.join(', ')} are not ready after ${timeoutMs} ms: ${reason}`);
    await sleep(200);
  }
}
