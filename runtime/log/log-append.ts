/**
 * The append path of the embedded log: batches validated and encoded into chunks (pooled buffers),
 * offsets assigned synchronously from the write view, and every write of one call (records, chunk
 * index, time index, heads, key-value writes, auto-created topics) queued as one fenced block.
 */
import { ChunkPool, encodeChunks } from './chunk-encoder.ts';
import { encodeChunkInfo } from './chunk-index.ts';
import { offsetKey, pidKey, timeKey, u64 } from './store-keys.ts';
import { opsGrowth } from './space-reserve.ts';
import type { LogContext } from './log-state.ts';
import { prepareKv } from './log-groups.ts';
import {
  checkKeyed,
  valueSize,
  checkPartition,
  checkTopicName,
  compacts,
  encodeHead,
  indexTs,
  normalizeSpec,
  unknownPartition,
  unknownTopic,
  type Head,
  type Op,
  type PreparedBatch,
} from './log-model.ts';
import type { AppendBatch, KeyValueWrite } from './types.ts';

export class LogAppender {
  private readonly pool = new ChunkPool();

  constructor(private readonly ctx: LogContext) {}

  /**
   * Appends the batches and the optional key-value writes in one LMDB transaction; resolves with the
   * base offset of each batch once the transaction is durable per the sync policy. Unknown topics are
   * auto-created (when enabled) with max(defaultPartitions, highest partition appended + 1) partitions.
   * Rejects with a RetriableException (nothing written) if the commit failed.
   */
  async append(batches: AppendBatch[], kv?: KeyValueWrite[]): Promise<number[]> {
    this.ctx.storage.ensureWritable();
    if (!Array.isArray(batches)) throw new TypeError('append: batches must be an array');
    const now = Date.now();
    const prepared: PreparedBatch[] = new Array(batches.length);
    // pooled chunk buffers: lmdb-js reads them on its writer thread until the write has committed
    const taken: Buffer[] = [];
    try {
      const alloc = (size: number) => this.pool.alloc(size, taken);
      for (let i = 0; i < batches.length; i++) {
        const b = batches[i];
        checkTopicName(b.topic);
        checkPartition(b.partition);
        if (!Array.isArray(b.records))
          throw new TypeError(`append: records of ${b.topic}-${b.partition} must be an array`);
        const meta = this.ctx.state.wTopics.get(b.topic);
        if (meta && compacts(meta.cleanupPolicy)) checkKeyed(b, meta.cleanupPolicy);
        prepared[i] = {
          topic: b.topic,
          partition: b.partition,
          count: b.records.length,
          chunks: encodeChunks(b.records, now, alloc),
        };
      }
      return await this.appendPrepared(prepared, kv);
    } finally {
      this.pool.release(taken);
    }
  }

  private async appendPrepared(prepared: PreparedBatch[], kv: KeyValueWrite[] | undefined): Promise<number[]> {
    const kvOps = kv && kv.length > 0 ? prepareKv(kv) : undefined;
    if (prepared.length === 0 && !kvOps) return [];
    if (this.ctx.storage.recovering || this.ctx.storage.reopening) await this.ctx.storage.writable();

    // From here to the fenced() call everything is synchronous: offsets are assigned in queue order.
    const claim = this.ctx.storage.claimSpace(this.appendGrowth(prepared, kvOps));
    try {
      return await this.appendClaimed(prepared, kvOps);
    } finally {
      this.ctx.storage.space.release(claim);
    }
  }

  private async appendClaimed(prepared: PreparedBatch[], kvOps: Op[] | undefined): Promise<number[]> {
    // Validate against the write view first, so that nothing is assigned if the call is refused.
    const newTopics = new Map<string, number>();
    for (const b of prepared) {
      const meta = this.ctx.state.wTopics.get(b.topic);
      if (meta) {
        if (b.partition >= meta.partitions) throw unknownPartition(b.topic, b.partition, meta.partitions);
      } else {
        if (!this.ctx.opts.autoCreateTopics) throw unknownTopic(b.topic);
        newTopics.set(b.topic, Math.max(newTopics.get(b.topic) ?? this.ctx.opts.defaultPartitions, b.partition + 1));
      }
    }
    const ops: Op[] = [];
    for (const [name, partitions] of newTopics) {
      this.ctx.state.planTopic(normalizeSpec({ name, partitions }, this.ctx.opts), ops);
    }
    const bases = new Array<number>(prepared.length);
    const touched = new Map<number, Head>();
    const committed: Array<{ pid: number; next: number; appended: number }> = [];
    for (let i = 0; i < prepared.length; i++) {
      const b = prepared[i];
      const pid = this.ctx.state.wTopics.get(b.topic)!.pids[b.partition];
      const head = this.ctx.state.wHeads.get(pid)!;
      const base = head.next;
      for (const c of b.chunks) {
        const off = base + c.first;
        const k = offsetKey(pid, off);
        ops.push(
          { db: 'records', key: k, value: c.buf },
          { db: 'chunks', key: k, value: encodeChunkInfo(c.count, c.buf.length, c.maxTimestamp) },
        );
        const its = indexTs(c.maxTimestamp);
        if (its > head.indexedTs) {
          ops.push({ db: 'timeindex', key: timeKey(pid, its), value: u64(off) });
          head.indexedTs = its;
        }
        head.appended += c.buf.length;
      }
      head.next = base + b.count;
      bases[i] = base;
      touched.set(pid, head);
    }
    for (const [pid, head] of touched) {
      ops.push({ db: 'heads', key: pidKey(pid), value: encodeHead(head) });
      committed.push({ pid, next: head.next, appended: head.appended });
    }
    if (kvOps) ops.push(...kvOps);
    if (newTopics.size > 0) await this.ctx.state.whileCreating(newTopics.keys(), this.ctx.storage.fenced(ops));
    else await this.ctx.storage.fenced(ops);
    for (const name of newTopics.keys()) this.ctx.state.refreshTopic(name);
    // Blocks commit in queue order, so once this one has, these heads are committed: no need to re-read them.
    for (const c of committed) this.ctx.state.advanceHead(c.pid, c.next, c.appended);
    return bases;
  }

  /** Growth bound of an append: its chunks, their index entries, heads, key-value writes, topics it may create. */
  private appendGrowth(prepared: PreparedBatch[], kvOps: Op[] | undefined): number {
    const sizes: number[] = [];
    for (const b of prepared) {
      for (const c of b.chunks) sizes.push(c.buf.length, 20, 8);
      sizes.push(24);
      if (!this.ctx.state.wTopics.has(b.topic))
        sizes.push(4096, ...new Array<number>(Math.max(this.ctx.opts.defaultPartitions, b.partition + 1)).fill(24));
    }
    if (kvOps) for (const op of kvOps) sizes.push(valueSize(op));
    return opsGrowth(sizes);
  }
}
