import type { TopicPartition } from './types.ts';

/** A map key for one partition of one topic. */
export const tpKey = (tp: TopicPartition): string => `${tp.topic}\u0000${tp.partition}`;
