/** `tributary connectors status <name> --watch`: the status redrawn every interval, with snapshot progress bars. */
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
  const lines = [`${s.name}${s.type ? ` (${s.type})` : ''}  ${s.connector.state}  on ${s.connector.worker_id}    ${at.toISOString()}`];
  if (s.connector.trace) lines.push(`  connector trace: ${s.connector.trace.split('\n')[0]}`);
  for (const t of s.tasks) {
    lines.push(`  task ${t.id}  ${t.state.padEnd(10)} on ${t.worker_id}`);
    if (t.trace) lines.push(`    trace: ${t.trace.split('\n')[0]}`);
    const snap = t.snapshot;
    if (snap) {
      const phase = snap.phase ?? 'snapshot';
      if (snap.tablesTotal !== undefined) lines.push(`    ${phase} snapshot  tables ${bar(snap.tablesDone ?? 0, snap.tablesTotal)}  ${snap.tablesDone ?? 0}/${snap.tablesTotal}`);
      if (snap.rowsScanned !== undefined) {
        const est = snap.rowsEstimated ?? 0;
        lines.push(`    ${' '.repeat(phase.length)}           rows   ${est > 0 ? bar(snap.rowsScanned, est) : '[ estimating ]'}  ${snap.rowsScanned}${est > 0 ? `/~${est}` : ''}${snap.currentTable ? `  now: ${snap.currentTable}` : ''}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

export async function watchStatus(c: Client, name: string, p: ParsedArgs, io: CliIo): Promise<number> {
  const seconds = Number(stringFlag(p, 'interval') ?? '2');
  if (!(seconds > 0)) throw new UsageError(`--interval must be a number of seconds above 0, not ${stringFlag(p, 'interval')}`);
  let stop = false;
  const onSignal = () => { stop = true; };
  process.once('SIGINT', onSignal);
  const tty = (io.stdout as { isTTY?: boolean }).isTTY === true;
  try {
    while (!stop) {
      const s = (await c.json('GET', `/connectors/${name}/status`)) as Status;
      io.stdout.write(`${tty ? '\x1b[2J\x1b[H' : ''}${renderStatus(s)}${tty ? '\n(Ctrl-C to stop)\n' : ''}`);
      await sleep(seconds * 1000);
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
  return 0;
}
