/** CPU seconds and peak RSS of a running process, read from /proc (Linux), for processes the bench starts. */
import fs from 'node:fs';
import os from 'node:os';

const CLOCK_TICKS = 100;

/** user + system CPU seconds of `pid` so far (all its threads). */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at state, field 3; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Peak resident set size of `pid` in MiB (VmHWM). */
export function peakRssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round(kib / 1024);
}

/** The 1-minute load average, rounded, to note how busy the shared machine was. */
export const load1 = (): number => Number(os.loadavg()[0].toFixed(2));
