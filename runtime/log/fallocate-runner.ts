/**
 * Background `fallocate --keep-size` calls through one small long-lived shell per process, instead
 * of a child process forked from the worker per call. Forking the worker (hundreds of MiB of heap and
 * a mapped log) costs tens of milliseconds of CPU per call on the main thread, plus a copy-on-write
 * fault on every page the worker writes next; the shell is forked once and forks only itself per
 * call. Requests are answered in order; if the shell cannot be started or dies, calls fall back to
 * a child process of their own. The shell keeps the descriptors open when it starts, and LMDB's are
 * not close-on-exec: it is started before the process opens its first log (startFallocateRunner),
 * so that it does not hold a data.mdb open for the life of the process.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';

/** Reads "<length>\n<file>\n" per request, answers "ok" or "err" per line, in order. */
const SCRIPT =
  'while IFS= read -r len && IFS= read -r file; do ' +
  'if fallocate --keep-size --offset 0 --length "$len" "$file" 2>/dev/null; then echo ok; else echo err; fi; ' +
  'done';

type Done = (ok: boolean) => void;

class ShellRunner {
  private child: ChildProcess | null = null;
  private broken = false;
  private readonly waiting: Done[] = [];
  private partial = '';

  /** Allocates [0, length) of `file` keeping its size; `done(true)` once allocated. */
  run(file: string, length: number, done: Done): void {
    const child = file.includes('\n') ? null : this.shell();
    if (child === null) {
      execFile('fallocate', ['--keep-size', '--offset', '0', '--length', String(length), file], (err) => done(!err));
      return;
    }
    this.waiting.push(done);
    if (this.waiting.length === 1) this.ref(true);
    child.stdin!.write(`${length}\n${file}\n`);
  }

  start(): void {
    this.shell();
  }

  private shell(): ChildProcess | null {
    if (this.child !== null || this.broken) return this.child;
    let child: ChildProcess;
    try {
      child = spawn('sh', ['-c', SCRIPT], { stdio: ['pipe', 'pipe', 'ignore'] });
    } catch {
      this.broken = true;
      return null;
    }
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (text: string) => this.answered(text));
    // EPIPE on a dead shell: its exit fails the waiting calls.
    child.stdin!.on('error', () => undefined);
    child.on('error', () => this.fail(child));
    child.on('exit', () => this.fail(child));
    child.unref();
    this.child = child;
    this.ref(false);
    return child;
  }

  private answered(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) this.waiting.shift()?.(line === 'ok');
    if (this.waiting.length === 0) this.ref(false);
  }

  /** The shell is gone: waiting calls fail (their callers fall back to the synchronous path); later calls fork per call. */
  private fail(child: ChildProcess): void {
    if (this.child !== child) return;
    this.child = null;
    this.broken = true;
    for (const done of this.waiting.splice(0)) done(false);
  }

  /** The pipes keep the event loop alive only while a call waits for its answer. */
  private ref(on: boolean): void {
    const pipes = [this.child?.stdin, this.child?.stdout] as Array<{ ref?(): void; unref?(): void } | null | undefined>;
    for (const p of pipes) {
      if (on) p?.ref?.();
      else p?.unref?.();
    }
  }
}

const runner = new ShellRunner();

/** Starts the shell now (if not yet started): before an LMDB environment of the process is open. */
export function startFallocateRunner(): void {
  runner.start();
}

/** `fallocate --keep-size --offset 0 --length <length> <file>` in the background; `done(ok)`. */
export function fallocateInBackground(file: string, length: number, done: (ok: boolean) => void): void {
  runner.run(file, length, done);
}
