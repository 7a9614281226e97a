/** What each Kafka client of the client benchmark implements (bench/kafka-clients-bench.ts). */
export interface GroupTiming {
  /** One member: subscribe until its first assignment. */
  joinMs: number;
  /** A second member joins: its start until both hold partitions that cover the topic. */
  rebalanceMs: number;
  protocol: string;
}

export interface ClientAdapter {
  readonly name: string;
  readonly version: string;
  /**
   * `n` records of `payload` to `topic` (acks=all, idempotent); resolves when every record is
   * acknowledged, with the ms from the first record in the topic to the last when the adapter cannot
   * start the clock at its first send itself (a worker starting a connector).
   */
  produce(topic: string, n: number, payload: Buffer): Promise<number | void>;
  /**
   * One send() call of `n` records of `payload` more than 1 MB in all (byte-bounded batching, or
   * not): what happens within 60 s. Only for clients with an awaited send of many records.
   */
  oversizedSend?(topic: string, n: number, payload: Buffer): Promise<string>;
  /** Reads `n` records of `topic` from the beginning in a new group; resolves with ms from the first record to the n-th. */
  consume(topic: string, n: number): Promise<number>;
  /** `count` transactions of `perTransaction` 1 KB records each, each committed before the next begins. */
  transactions?(topic: string, count: number, perTransaction: number): Promise<void>;
  /** Join and rebalance of a group on `topic` (which has `partitions` partitions), heartbeats every second. */
  group?(topic: string, partitions: number): Promise<GroupTiming>;
  /** Creates `count` topics one at a time, describing each after it is created; ms spent in each kind. */
  admin?(prefix: string, count: number): Promise<{ createMs: number; describeMs: number }>;
  close(): Promise<void>;
}

export const HEARTBEAT_MS = 1000;
export const SESSION_TIMEOUT_MS = 10_000;
/** Longest a fetch waits on an empty partition (librdkafka's default fetch.wait.max.ms), the same for every client. */
export const MAX_WAIT_MS = 500;
/**
 * Records per awaited send() for the clients that send a call's records as one record batch
 * (kafkajs, @platformatic/kafka): at most 1,000 and about 870 KB, under the broker's default
 * max.message.bytes (1 MB). A larger call is refused by the broker (see oversizedSend).
 */
export const batchRecords = (recordBytes: number): number => Math.min(1000, Math.floor(870_000 / recordBytes));

/** Resolves with `what`'s outcome, or 'timed out after …' when it takes longer than `ms`. */
export async function within(ms: number, what: Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer after ${ms / 1000} s`), ms);
  });
  try {
    return await Promise.race([
      what.then(
        () => 'delivered',
        (err: Error & { errors?: Error[] }) =>
          `failed: ${err.message}${err.errors?.[0] ? ` (${err.errors[0].message})` : ''}`,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Counts of assigned partitions per member; resolves once two members hold all `partitions` between them. */
export function coversTopic(assigned: Array<Set<number>>, partitions: number): boolean {
  const all = new Set<number>();
  for (const member of assigned) for (const p of member) all.add(p);
  return (
    assigned.length === 2 &&
    assigned.every((m) => m.size > 0) &&
    all.size === partitions &&
    assigned[0].size + assigned[1].size === partitions
  );
}

/** Retries `fn` until it succeeds (a topic just created may not be known to every metadata cache yet), up to 10 s. */
export async function untilOk<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
