import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KafkaAdmin } from './kafka-admin.ts';

type OffsetsAnswer = Awaited<ReturnType<Admin['fetchTopicOffsets']>>;

/** A kafkajs admin whose offsets request answers as told, and whose metadata shows every leader. */
function fakeAdmin(offsets: () => Promise<OffsetsAnswer>): Admin {
  return {
    connect: async () => undefined,
    disconnect: async () => undefined,
    fetchTopicOffsets: offsets,
    fetchTopicMetadata: async ({ topics }: { topics: string[] }) => ({
      topics: topics.map((name) => ({
        name,
        partitions: [{ partitionId: 0, leader: 1, replicas: [1], isr: [1], partitionErrorCode: 0 }],
      })),
    }),
  } as unknown as Admin;
}

describe('KafkaAdmin offsets', () => {
  it('asks again with a fresh client when kafkajs fails inside on its stale leaderless metadata', async () => {
    const clients: Admin[] = [
      fakeAdmin(async () => {
        // what kafkajs's fetchTopicOffsets throws when its cached metadata has no leader for the partition
        const low: Array<{ partitions: unknown[] }> = [];
        const { partitions } = low.pop() as unknown as { partitions: unknown[] };
        return partitions as OffsetsAnswer;
      }),
      fakeAdmin(async () => [{ partition: 0, offset: '7', high: '7', low: '2' }]),
    ];
    let made = 0;
    const admin = new KafkaAdmin(() => clients[made++], 1);
    expect(await admin.endOffset({ topic: 't', partition: 0 })).toBe(7);
    expect(made).toBe(2);
  });

  it('does not hide other failures', async () => {
    const admin = new KafkaAdmin(
      () =>
        fakeAdmin(async () => {
          throw new Error('authorization failed');
        }),
      1,
    );
    await expect(admin.endOffset({ topic: 't', partition: 0 })).rejects.toThrow('authorization failed');
  });
});
