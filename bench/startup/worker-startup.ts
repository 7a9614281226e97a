/**
 * Start-up and idle memory of a standalone worker, as docs/performance.md's start-up table takes
 * them: `node <repo>/cli/bin.js standalone w.properties c.json` spawned with a FileStreamSource on
 * the embedded log; the time from spawning to `GET /connectors/x/status` answering RUNNING for the
 * connector and its task, the process CPU then (/proc/<pid>/stat), the modules loaded by then
 * (a second pass, preloading module-recorder.mjs, so the recording does not slow the timed runs),
 * and VmRSS / VmHWM / RssAnon 8 s after RUNNING. `--kafka <bootstrap>` adds an idle worker on
 * Kafka with no connector (docs/kafka.md's "idle" figure): its memory 8 s after its REST answers.
 *
 *   npx tsx bench/startup/worker-startup.ts [repoDir=.] [runs=5] [--kafka 127.0.0.1:59092]
 *
 * Run it against two checkouts in one session (A/B): the repo whose cli/bin.js is spawned is the
 * first argument, so the same script measures a clone of the parent commit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/helpers/free-port.ts';

const RECORDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'module-recorder.mjs');
const TICKS = 100; // USER_HZ on Linux

interface Run {
  wallS: number;
  cpuS: number;
  modules?: number;
  vmRssMiB: number;
  vmHwmMiB: number;
  rssAnonMiB: number;
}

function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime, stime
}

function memory(pid: number): Pick<Run, 'vmRssMiB' | 'vmHwmMiB' | 'rssAnonMiB'> {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  const mib = (key: string) => Math.round((kb(key) / 1024) * 10) / 10;
  return { vmRssMiB: mib('VmRSS'), vmHwmMiB: mib('VmHWM'), rssAnonMiB: mib('RssAnon') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function running(port: number, name: string | null): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${port}/${name ? `connectors/${name}/status` : ''}`).catch(() => null);
  if (!res || res.status !== 200) return false;
  if (!name) return true;
  const s = (await res.json()) as { connector: { state: string; trace?: string }; tasks: Array<{ state: string }> };
  if (s.connector.state === 'FAILED') throw new Error(`connector FAILED: ${s.connector.trace ?? ''}`);
  return s.connector.state === 'RUNNING' && s.tasks.length > 0 && s.tasks.every((t) => t.state === 'RUNNING');
}

async function once(repo: string, opts: { kafka?: string; recordModules: boolean }): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-startup-'));
  const port = await freePort();
  const props = [
    `listeners=http://127.0.0.1:${port}`,
    `tributary.data.dir=${path.join(dir, 'data')}`,
    `file.allowed.paths=${dir}`,
    ...(opts.kafka ? [`bootstrap.servers=${opts.kafka}`] : []),
  ];
  fs.writeFileSync(path.join(dir, 'w.properties'), props.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'in.txt'), 'one\ntwo\nthree\n');
  const connector = {
    name: 'x',
    config: {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      file: path.join(dir, 'in.txt'),
      topic: 'lines',
    },
  };
  fs.writeFileSync(path.join(dir, 'c.json'), JSON.stringify(connector));
  const record = path.join(dir, 'modules.txt');
  const args = [
    ...(opts.recordModules ? ['--import', RECORDER] : []),
    path.join(repo, 'cli/bin.js'),
    'standalone',
    'w.properties',
    ...(opts.kafka ? [] : ['c.json']),
  ];
  const t0 = process.hrtime.bigint();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, TRIBUTARY_MODULE_RECORD: opts.recordModules ? record : '' },
  });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  try {
    const deadline = Date.now() + 120_000;
    while (!(await running(port, opts.kafka ? null : 'x'))) {
      if (child.exitCode !== null) throw new Error(`the worker exited (${child.exitCode}): ${log.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`not RUNNING within 120 s: ${log.slice(-2000)}`);
      await sleep(10);
    }
    const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpuS = cpuSeconds(child.pid!);
    const modules = opts.recordModules
      ? new Set(fs.readFileSync(record, 'utf8').split('\n').filter(Boolean)).size
      : undefined;
    await sleep(8000);
    return { wallS, cpuS, modules, ...memory(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const kafkaAt = argv.indexOf('--kafka');
  const kafka = kafkaAt >= 0 ? argv.splice(kafkaAt, 2)[1] : undefined;
  const repo = path.resolve(argv[0] ?? '.');
  const runs = Number(argv[1] ?? 5);
  const timed: Run[] = [];
  for (let i = 0; i < runs; i++) timed.push(await once(repo, { recordModules: false }));
  const counted = await once(repo, { recordModules: true });
  const idleKafka = kafka ? await once(repo, { kafka, recordModules: false }) : undefined;
  const summary = {
    repo,
    load1: os.loadavg()[0],
    runs: timed,
    wallS: { median: median(timed.map((r) => r.wallS)), min: Math.min(...timed.map((r) => r.wallS)) },
    cpuS: { median: median(timed.map((r) => r.cpuS)), min: Math.min(...timed.map((r) => r.cpuS)) },
    modulesAtRunning: counted.modules,
    idleFileSource: {
      vmRssMiB: median(timed.map((r) => r.vmRssMiB)),
      vmHwmMiB: median(timed.map((r) => r.vmHwmMiB)),
      rssAnonMiB: median(timed.map((r) => r.rssAnonMiB)),
    },
    idleKafkaNoConnector: idleKafka && {
      vmRssMiB: idleKafka.vmRssMiB,
      vmHwmMiB: idleKafka.vmHwmMiB,
      rssAnonMiB: idleKafka.rssAnonMiB,
    },
  };
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
}

await main();
