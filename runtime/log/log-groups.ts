/**
 * Consumer groups (committed offsets per group, topic and partition) and the key-value namespaces
 * (connector configs, source offsets, statuses) of the embedded log.
 */
import { ConnectException } from '../errors.ts';
import { joinKey, prefixEnd, u64 } from './store-keys.ts';
import { rangeGrowth } from './space-reserve.ts';
import type { LogContext } from './log-state.ts';
import { checkKeySize, checkPart, checkPartition, groupKey, type Op } from './log-model.ts';
import type { KeyValueWrite, TopicPartition } from './types.ts';

/** Stores committed offsets (Kafka semantics: the next offset to read) of a group, atomically. */
export async function commitOffsets(
  ctx: LogContext,
  groupId: string,
  offsets: Array<TopicPartition & { offset: number }>,
): Promise<void> {
  ctx.storage.ensureWritable();
  checkPart(groupId, 'Group id');
  const ops: Op[] = offsets.map((o) => {
    checkPart(o.topic, 'Topic');
    checkPartition(o.partition);
    if (!Number.isInteger(o.offset) || o.offset < 0)
      throw new ConnectException(`Invalid offset ${o.offset} for ${o.topic}-${o.partition}`, {
        code: 'TRIB_ERR_LOG_INVALID',
      });
    return { db: 'groups', key: checkKeySize(groupKey(groupId, o.topic, o.partition)), value: u64(o.offset) };
  });
  await ctx.storage.batch(ops);
}

export function committedOffsets(ctx: LogContext, groupId: string): Array<TopicPartition & { offset: number }> {
  ctx.storage.ensureReadable();
  checkPart(groupId, 'Group id');
  const prefix = Buffer.concat([Buffer.from(groupId, 'utf8'), Buffer.from([0])]);
  const out: Array<TopicPartition & { offset: number }> = [];
  for (const { key, value } of ctx.storage.groupsDb.getRange({ start: prefix, end: prefixEnd(prefix) })) {
    const rest = key.subarray(prefix.length);
    const sep = rest.indexOf(0);
    out.push({
      topic: rest.toString('utf8', 0, sep),
      partition: rest.readUInt32BE(sep + 1),
      offset: value.readDoubleBE(0),
    });
  }
  return out;
}

export function listGroups(ctx: LogContext): string[] {
  ctx.storage.ensureReadable();
  const out: string[] = [];
  let start: Buffer | undefined = undefined;
  for (;;) {
    let found: Buffer | undefined;
    for (const key of ctx.storage.groupsDb.getKeys(start ? { start, limit: 1 } : { limit: 1 })) found = key;
    if (!found) return out;
    const group = found.subarray(0, found.indexOf(0));
    out.push(group.toString('utf8'));
    start = prefixEnd(Buffer.concat([group, Buffer.from([0])]));
  }
}

export async function deleteGroup(ctx: LogContext, groupId: string): Promise<void> {
  ctx.storage.ensureWritable();
  checkPart(groupId, 'Group id');
  const prefix = Buffer.concat([Buffer.from(groupId, 'utf8'), Buffer.from([0])]);
  if (ctx.storage.recovering || ctx.storage.reopening) await ctx.storage.writable();
  const count = ctx.storage.groupsDb.getKeysCount({ start: prefix, end: prefixEnd(prefix) });
  await ctx.storage.transaction(ctx.storage.claimSpace(rangeGrowth(count, 0, 0)), () => {
    for (const k of Array.from(ctx.storage.groupsDb.getKeys({ start: prefix, end: prefixEnd(prefix) })))
      ctx.storage.groupsDb.remove(k);
  });
}

/** Applies the writes atomically (null values delete). */
export async function kvPut(ctx: LogContext, writes: KeyValueWrite[]): Promise<void> {
  ctx.storage.ensureWritable();
  await ctx.storage.batch(prepareKv(writes));
}

export function kvGet(ctx: LogContext, namespace: string, key: string): string | undefined {
  ctx.storage.ensureReadable();
  checkPart(namespace, 'Namespace');
  checkPart(key, 'Key');
  return ctx.storage.kvDb.get(joinKey([namespace, key]));
}

/** Entries of a namespace (optionally only keys starting with keyPrefix), ordered by key (UTF-8 byte order). */
export function kvEntries(ctx: LogContext, namespace: string, keyPrefix = ''): Array<{ key: string; value: string }> {
  ctx.storage.ensureReadable();
  checkPart(namespace, 'Namespace');
  checkPart(keyPrefix, 'Key prefix');
  const nsLen = Buffer.byteLength(namespace, 'utf8') + 1;
  const prefix = joinKey([namespace, keyPrefix]);
  const out: Array<{ key: string; value: string }> = [];
  for (const { key, value } of ctx.storage.kvDb.getRange({ start: prefix, end: prefixEnd(prefix) })) {
    out.push({ key: key.toString('utf8', nsLen), value });
  }
  return out;
}

export function prepareKv(writes: KeyValueWrite[]): Op[] {
  if (!Array.isArray(writes)) throw new TypeError('Key-value writes must be an array');
  return writes.map((w) => {
    checkPart(w.namespace, 'Namespace');
    checkPart(w.key, 'Key');
    if (w.value !== null && typeof w.value !== 'string')
      throw new TypeError(`Value of ${w.namespace}/${w.key} must be a string or null`);
    const key = checkKeySize(joinKey([w.namespace, w.key]));
    return w.value === null ? { db: 'kv', key } : { db: 'kv', key, value: w.value };
  });
}
