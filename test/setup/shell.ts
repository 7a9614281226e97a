/** Small process helpers for provisioning: run a command, check a port, wait for readiness. */
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

export function log(service: string, message: string): void {
  process.stderr.write(`[test-services] ${service}: ${message}\n`);
}

export function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')} could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}:\n${String(r.stderr ?? '').slice(-4000)}${String(r.stdout ?? '').slice(-2000)}`);
  return String(r.stdout ?? '');
}

export function which(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).status === 0;
}

/** Starts a long-lived server detached from this process so later test runs reuse it. */
export function startDetached(cmd: string, args: string[], logFile: string, opts: { uid?: number; gid?: number; cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', out, out], uid: opts.uid, gid: opts.gid, cwd: opts.cwd, env: opts.env ?? process.env });
  child.unref();
  fs.closeSync(out);
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.setTimeout(1000);
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.once('timeout', () => { s.destroy(); resolve(false); });
  });
}

export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, logFile?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch {
      /* not ready yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const tail = logFile && fs.existsSync(logFile) ? `\nLast log lines (${logFile}):\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n')}` : '';
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
    aptTimer = setTimeout(() => {
      const batch = aptQueue.splice(0);
      const all = [...new Set(batch.flatMap((b) => b.pkgs))];
      try {
        if (process.getuid?.() !== 0) throw new Error(`installing ${all.join(' ')} needs root; install them yourself or point the TRIBUTARY_TEST_* variables at existing servers`);
        // Keep package scripts from starting system-wide services: the suite runs its own instances.
        const policy = '/usr/sbin/policy-rc.d';
        const hadPolicy = fs.existsSync(policy);
        if (!hadPolicy) fs.writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
        try {
          const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
          if (!aptUpdated) {
            log('apt', 'apt-get update');
            run('apt-get', ['update', '-qq'], { env });
            aptUpdated = true;
          }
          log('apt', `installing ${all.join(' ')}`);
          run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold', ...all], { env });
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
