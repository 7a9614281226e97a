/** Creating and deleting the embedded log's topics (spec, partition ids, heads; deletion removes every record). */
import { offsetKey, pidKey } from './store-keys.ts';
import { opsGrowth } from './space-reserve.ts';
import type { LogContext } from './log-state.ts';
import { rangeGrowthOf } from './log-retention.ts';
import { cleanerKey, normalizeSpec, type Op, type TopicMeta } from './log-model.ts';
import type { TopicSpec } from './types.ts';

/** Creates a topic; false if it already existed (its settings are left unchanged). */
export async function createTopic(ctx: LogContext, spec: TopicSpec): Promise<boolean> {
  ctx.storage.ensureWritable();
  const norm = normalizeSpec(spec, ctx.opts);
  if (ctx.storage.recovering || ctx.storage.reopening) await ctx.storage.writable(); // (no await otherwise: calls are queued in call order)
  if (ctx.state.wTopics.has(norm.name)) {
    // queued by another call but maybe not committed yet: return once readers can see it
    await ctx.state.creating.get(norm.name);
    return false;
  }
  const claim = ctx.storage.claimSpace(topicGrowth(norm.partitions));
  try {
    const ops: Op[] = [];
    ctx.state.planTopic(norm, ops);
    await ctx.state.whileCreating([norm.name], ctx.storage.fenced(ops));
  } finally {
    ctx.storage.space.release(claim);
  }
  ctx.state.refreshTopic(norm.name);
  return true;
}

/** Deletes a topic and its records. A topic created later with the same name starts again at offset 0. */
export async function deleteTopic(ctx: LogContext, name: string): Promise<void> {
  ctx.storage.ensureWritable();
  if (ctx.storage.recovering || ctx.storage.reopening) await ctx.storage.writable();
  const meta = ctx.state.wTopics.get(name);
  if (!meta) return;
  // From now on appends to `name` go to a new topic (new partition ids); the callback below runs
  // after everything queued before it, so it sees and deletes every chunk of the old partitions.
  const pids = meta.pids;
  const growth = pids.reduce((sum, pid) => sum + rangeGrowthOf(ctx, pid, 0), 0);
  const claim = ctx.storage.claimSpace(growth);
  ctx.state.wTopics.delete(name);
  for (const pid of meta.pids) ctx.state.wHeads.delete(pid);
  await ctx.storage.transaction(claim, () => {
    for (const pid of pids) {
      const range = { start: offsetKey(pid, 0), end: offsetKey(pid + 1, 0) };
      for (const db of [ctx.storage.recordsDb, ctx.storage.chunksDb, ctx.storage.timeDb]) {
        for (const k of Array.from(db.getKeys(range))) db.remove(k);
      }
      ctx.storage.headsDb.remove(pidKey(pid));
      ctx.storage.tailsDb.remove(pidKey(pid));
      ctx.storage.metaDb.remove(cleanerKey(pid));
    }
    const current = ctx.storage.metaDb.get(`topic:${name}`) as TopicMeta | undefined;
    if (current && current.pids[0] === pids[0]) ctx.storage.metaDb.remove(`topic:${name}`);
  });
  const cached = ctx.state.topics.get(name);
  if (cached && cached.pids[0] === pids[0]) ctx.state.topics.delete(name);
  for (const pid of pids) {
    ctx.state.parts.delete(pid);
    ctx.state.pidTp.delete(pid);
  }
}

/** Growth bound of creating a topic: its spec, the partition counter and one head per partition. */
function topicGrowth(partitions: number): number {
  return opsGrowth([4096, 16, ...new Array<number>(partitions).fill(24)]);
}
