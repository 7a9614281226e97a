/**
 * `tributary log verify|recover`: checks the embedded log's record batches (CRC32C, framing,
 * continuity; all batch versions, the cleaner's version 3 included) and truncates a damaged partition at its last valid batch. Both open the store
 * themselves, so the worker using the data directory must be stopped (its lock refuses them).
 */
import { EmbeddedLog } from '../../runtime/log/embedded-log.ts';
import { WorkerConfig } from '../../runtime/worker/worker-config.ts';
import { resolveWorkerProps } from '../../runtime/config/providers.ts';
import { readWorkerConfig } from '../config-files.ts';
import type { CliIo } from '../io.ts';
import { UsageError } from './client.ts';

export const LOG_USAGE = `tributary log verify (--data-dir <dir> | --config <worker.properties>) [--topic <topic>]
tributary log recover (--data-dir <dir> | --config <worker.properties>) --topic <topic> --partition <n> [--yes]`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value\n${LOG_USAGE}`);
  return v;
}

function dataDirOf(args: string[]): string {
  const dir = option(args, '--data-dir');
  const config = option(args, '--config');
  if (dir) return dir;
  if (config) return new WorkerConfig(resolveWorkerProps(readWorkerConfig(config)).props).dataDir;
  throw new UsageError(`name the store with --data-dir or --config\n${LOG_USAGE}`);
}

export async function runLogCommand(args: string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = args;
  if (verb !== 'verify' && verb !== 'recover') throw new UsageError(LOG_USAGE);
  const dir = dataDirOf(rest);
  const topic = option(rest, '--topic');
  if (verb === 'recover') {
    const partitionArg = option(rest, '--partition');
    if (!topic || partitionArg === undefined)
      throw new UsageError(`log recover needs --topic and --partition\n${LOG_USAGE}`);
    const partition = Number(partitionArg);
    if (!Number.isInteger(partition) || partition < 0)
      throw new UsageError(`--partition must be a partition number, not '${partitionArg}'`);
    return recover(dir, topic, partition, rest.includes('--yes'), io);
  }
  return verify(dir, topic, io);
}

async function verify(dir: string, topic: string | undefined, io: CliIo): Promise<number> {
  const log = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 });
  try {
    const report = log.verify({ topic });
    let bad = 0;
    for (const p of report) {
      const compacted = p.compactedBatches > 0 ? ` (${p.compactedBatches} compacted)` : '';
      const what = `${p.topic}-${p.partition}: offsets ${p.startOffset}..${p.endOffset}, ${p.batches} batches${compacted}, ${p.records} records`;
      const old =
        p.unverifiedBatches > 0 ? ` (${p.unverifiedBatches} written before checksums: framing checked only)` : '';
      if (p.corrupt) {
        bad++;
        io.stdout.write(`${what}${old}: CORRUPT at offset ${p.corrupt.offset}: ${p.corrupt.reason}\n`);
      } else io.stdout.write(`${what}${old}: ok\n`);
    }
    io.stdout.write(
      bad === 0
        ? `${report.length} partitions verified in ${log.dataFile}: no corrupt batch\n`
        : `${bad} of ${report.length} partitions have a corrupt batch in ${log.dataFile}; \`tributary log recover --topic <t> --partition <p> --yes\` truncates one at its last valid batch\n`,
    );
    return bad === 0 ? 0 : 1;
  } finally {
    await log.close();
  }
}

async function recover(dir: string, topic: string, partition: number, confirmed: boolean, io: CliIo): Promise<number> {
  const log = await EmbeddedLog.open({ dir, retentionCheckIntervalMs: 0 });
  try {
    const check = log.verify({ topic }).find((p) => p.partition === partition);
    if (!check) throw new UsageError(`topic ${topic} has no partition ${partition}`);
    if (!check.corrupt) {
      io.stdout.write(
        `${topic}-${partition}: no corrupt batch (offsets ${check.startOffset}..${check.endOffset}); nothing to recover\n`,
      );
      return 0;
    }
    const lost = check.endOffset - check.corrupt.offset;
    const plan =
      `${topic}-${partition}: the batch at offset ${check.corrupt.offset} is corrupt (${check.corrupt.reason}). ` +
      `Recovery truncates the partition to offset ${check.corrupt.offset}, deleting ${lost} records (offsets ${check.corrupt.offset}..${check.endOffset - 1}); ` +
      'sink groups committed past that point are moved back to it. Source offsets stored with those records are not rolled back: ' +
      'what a source wrote there is not produced again unless its offsets are reset.\n';
    if (!confirmed) {
      io.stdout.write(`${plan}Nothing was changed. Run again with --yes to truncate.\n`);
      return 1;
    }
    const r = await log.recoverPartition({ topic, partition });
    io.stdout.write(
      `${plan}Truncated ${topic}-${partition} to offset ${r.truncatedTo} (${r.removedRecords} records removed)${r.groupsRewound.length ? `; groups moved back: ${r.groupsRewound.join(', ')}` : ''}.\n`,
    );
    return 0;
  } finally {
    await log.close();
  }
}
