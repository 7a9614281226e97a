/**
 * `tributary connectors status <name> --watch`: the status redrawn every interval, with progress bars
 * for source snapshots (the task's snapshot object) and for sinks (committed offset against each
 * partition's end, so a replay shows how far it has caught up).
 */
import type { CliIo } from '../io.ts';
import { stringFlag, UsageError, type ParsedArgs } from '../args.ts';
import type { Client } from './client.ts';
import { sleep } from '../../runtime/util/sleep.ts';

interface SnapshotProgress {
  phase?: string;
  tablesTotal?: number;
  tablesDone?: number;
  rowsScanned?: number;
  rowsEstimated?: number;
  currentTable?: string;
}

interface Status {
  name: string;
  type?: string;
  connector: { state: string; worker_id: string; trace?: string };
  tasks: Array<{ id: number; state: string; worker_id: string; trace?: string; snapshot?: SnapshotProgress }>;
}

export function bar(done: number, total: number, width = 24): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%`;
}

export function renderStatus(s: Status, at: Date = new Date()): string {
  const lines = [
    `${s.name}${s.type ? ` (${s.type})` : ''}  ${s.connector.state}  on ${s.connector.worker_id}    ${at.toISOString()}`,
  ];
  if (s.connector.trace) lines.push(`  connector trace: ${s.connector.trace.split('\n')[0]}`);
  for (const t of s.tasks) {
    lines.push(`  task ${t.id}  ${t.state.padEnd(10)} on ${t.worker_id}`);
    if (t.trace) lines.push(`    trace: ${t.trace.split('\n')[0]}`);
    const snap = t.snapshot;
    if (snap) {
      const phase = snap.phase ?? 'snapshot';
      if (snap.tablesTotal !== undefined)
        lines.push(
          `    ${phase} snapshot  tables ${bar(snap.tablesDone ?? 0, snap.tablesTotal)}  ${snap.tablesDone ?? 0}/${snap.tablesTotal}`,
        );
      if (snap.rowsScanned !== undefined) {
        const est = snap.rowsEstimated ?? 0;
        lines.push(
          `    ${' '.repeat(phase.length)}           rows   ${est > 0 ? bar(snap.rowsScanned, est) : '[ estimating ]'}  ${snap.rowsScanned}${est > 0 ? `/~${est}` : ''}${snap.currentTable ? `  now: ${snap.currentTable}` : ''}`,
        );
      }
    }
  }
  return lines.join('\n') + '\n';
}

export interface SinkPosition {
  topic: string;
  partition: number;
  /** The sink's committed offset (next record to deliver). */
  offset: number;
  start: number;
  end: number;
}

/** Sink progress through each partition (after a replay: how far it has caught up again). */
export function renderSinkPositions(positions: SinkPosition[]): string {
  return positions
    .map((p) => {
      const lag = Math.max(0, p.end - p.offset);
      const progress = p.end > p.start ? bar(p.offset - p.start, p.end - p.start) : bar(1, 1); // an empty partition is caught up
      return `  ${p.topic}-${p.partition}  ${progress}  offset ${p.offset} of ${p.end}${lag > 0 ? `, ${lag} behind` : ', caught up'}\n`;
    })
    .join('');
}

async function sinkPositions(c: Client, name: string): Promise<SinkPosition[]> {
  const { offsets } = (await c.json('GET', `/connectors/${name}/offsets`)) as {
    offsets: Array<{
      partition: { kafka_topic?: string; kafka_partition?: number };
      offset: { kafka_offset?: number };
    }>;
  };
  const out: SinkPosition[] = [];
  const described = new Map<
    string,
    { partitions: Array<{ partition: number; start_offset: number; end_offset: number }> } | null
  >();
  for (const o of offsets) {
    const topic = o.partition.kafka_topic;
    if (topic === undefined || o.partition.kafka_partition === undefined || o.offset.kafka_offset === undefined)
      continue;
    if (!described.has(topic))
      described.set(
        topic,
        await c.json('GET', `/tributary/topics/${encodeURIComponent(topic)}`).then(
          (d) => d as { partitions: Array<{ partition: number; start_offset: number; end_offset: number }> },
          () => null,
        ),
      );
    const p = described.get(topic)?.partitions.find((x) => x.partition === o.partition.kafka_partition);
    if (p)
      out.push({
        topic,
        partition: p.partition,
        offset: o.offset.kafka_offset,
        start: p.start_offset,
        end: p.end_offset,
      });
  }
  return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

export async function watchStatus(c: Client, name: string, p: ParsedArgs, io: CliIo): Promise<number> {
  const seconds = Number(stringFlag(p, 'interval') ?? '2');
  if (!(seconds > 0))
    throw new UsageError(`--interval must be a number of seconds above 0, not ${stringFlag(p, 'interval')}`);
  const onSignal = () => process.exit(0);
  process.once('SIGINT', onSignal);
  const tty = (io.stdout as { isTTY?: boolean }).isTTY === true;
  try {
    for (;;) {
      const s = (await c.json('GET', `/connectors/${name}/status`)) as Status;
      const sink = s.type === 'sink' ? renderSinkPositions(await sinkPositions(c, name).catch(() => [])) : '';
      io.stdout.write(`${tty ? '\x1b[2J\x1b[H' : ''}${renderStatus(s)}${sink}${tty ? '\n(Ctrl-C to stop)\n' : ''}`);
      await sleep(seconds * 1000);
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
  return 0;
}
