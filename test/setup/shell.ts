/** Small process helpers for provisioning: run a command, check a port, wait for readiness. */
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export function log(service: string, message: string): void {
  process.stderr.write(`[test-services] ${service}: ${message}\n`);
}

export function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')} could not run: ${r.error.message}`);
  if (r.status !== 0)
    throw new Error(
      `${cmd} ${args.join(' ')} exited with ${r.status}:\n${String(r.stderr ?? '').slice(-4000)}${String(r.stdout ?? '').slice(-2000)}`,
    );
  return String(r.stdout ?? '');
}

export function which(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).status === 0;
}

/** Starts a long-lived server detached from this process so later test runs reuse it. */
export function startDetached(
  cmd: string,
  args: string[],
  logFile: string,
  opts: { uid?: number; gid?: number; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): void {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, {
    detached: true,
    stdio: ['ignore', out, out],
    uid: opts.uid,
    gid: opts.gid,
    cwd: opts.cwd,
    env: opts.env ?? process.env,
  });
  child.unref();
  fs.closeSync(out);
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.setTimeout(1000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  logFile?: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // At least one check after the deadline too: a long synchronous step elsewhere must not turn
  // a server that came up meanwhile into a timeout.
  for (let last = false; !last;) {
    last = Date.now() >= deadline;
    try {
      if (await check()) return;
    } catch {
      /* not ready yet */
    }
    if (!last) await new Promise((r) => setTimeout(r, 250));
  }
  const tail =
    logFile && fs.existsSync(logFile)
      ? `\nLast log lines (${logFile}):\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n')}`
      : '';
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000}s${tail}`);
}

let aptUpdated = false;
const aptQueue: Array<{ pkgs: string[]; resolve: () => void; reject: (e: Error) => void }> = [];
let aptTimer: NodeJS.Timeout | undefined;

/** Installs Debian packages (batched into one apt-get call); system services are not started. */
export function aptInstall(pkgs: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    aptQueue.push({ pkgs, resolve, reject });
    clearTimeout(aptTimer);
    aptTimer = setTimeout(async () => {
      const batch = aptQueue.splice(0);
      const all = [...new Set(batch.flatMap((b) => b.pkgs))];
      try {
        if (process.getuid?.() !== 0)
          throw new Error(
            `installing ${all.join(' ')} needs root; install them yourself or point the TRIBUTARY_TEST_* variables at existing servers`,
          );
        // Keep package scripts from starting system-wide services: the suite runs its own instances.
        const policy = '/usr/sbin/policy-rc.d';
        const hadPolicy = fs.existsSync(policy);
        if (!hadPolicy) fs.writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
        try {
          const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
          if (!aptUpdated) {
            log('apt', 'apt-get update');
            await runAsync('apt-get', ['update', '-qq'], env);
            aptUpdated = true;
          }
          log('apt', `installing ${all.join(' ')}`);
          await runAsync(
            'apt-get',
            [
              'install',
              '-y',
              '-qq',
              '--no-install-recommends',
              '-o',
              'Dpkg::Options::=--force-confdef',
              '-o',
              'Dpkg::Options::=--force-confold',
              ...all,
            ],
            env,
          );
        } finally {
          if (!hadPolicy) fs.rmSync(policy, { force: true });
        }
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err as Error);
      }
    }, 50);
  });
}

/** Like run(), without blocking the event loop (other servers keep being provisioned meanwhile). */
export function runAsync(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out = (out + d.toString()).slice(-8000);
    });
    child.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-8000);
    });
    child.once('error', (e) => reject(new Error(`${cmd} ${args.join(' ')} could not run: ${e.message}`)));
    child.once('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${err.slice(-4000)}${out.slice(-2000)}`));
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` holding a cross-process lock on `dir` (several checkouts or test runs provisioning
 * the same server at once would otherwise initialise one data directory twice). A lock left by
 * a dead process is taken over.
 */
export async function withLock<T>(
  dir: string,
  what: string,
  fn: () => Promise<T>,
  timeoutMs = 15 * 60_000,
): Promise<T> {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = 0;
      try {
        owner = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8')) || 0;
      } catch {
        /* just created or just released */
      }
      if (owner && !pidAlive(owner)) {
        fs.rmSync(dir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(
          `${what}: another process (pid ${owner || 'unknown'}) has held ${dir} for too long; remove it if that process is gone`,
        );
      if (!announced) log(what, `waiting for pid ${owner || 'unknown'}, which is provisioning it`);
      announced = true;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
