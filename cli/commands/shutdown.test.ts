import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { exitCodeOf, waitForShutdown } from './shutdown.ts';

function io() {
  const err = new PassThrough();
  let text = '';
  err.on('data', (d) => {
    text += String(d);
  });
  return { io: { stdout: new PassThrough(), stderr: err }, text: () => text };
}

describe('worker signal handling', () => {
  it('a first SIGTERM stops the worker and resolves 0', async () => {
    const signals = new EventEmitter();
    const out = io();
    let stopped = false;
    const exits: number[] = [];
    const done = waitForShutdown(
      {
        stop: async () => {
          stopped = true;
        },
      },
      out.io,
      { exit: (c) => exits.push(c), signals },
    );
    signals.emit('SIGTERM', 'SIGTERM');
    await expect(done).resolves.toBe(0);
    expect(stopped).toBe(true);
    expect(exits).toEqual([]);
    expect(out.text()).toContain('Received SIGTERM; stopping worker');
    expect(signals.listenerCount('SIGTERM')).toBe(1); // a signal while lingering still exits at once
  });

  it('a second signal while the stop is under way exits at once with 128 + the signal number', async () => {
    for (const [sig, code] of [
      ['SIGTERM', 143],
      ['SIGINT', 130],
    ] as const) {
      const signals = new EventEmitter();
      const out = io();
      const exits: number[] = [];
      void waitForShutdown({ stop: () => new Promise<void>(() => undefined) }, out.io, {
        exit: (c) => exits.push(c),
        signals,
      });
      signals.emit(sig, sig);
      expect(exits).toEqual([]);
      signals.emit(sig, sig);
      expect(exits).toEqual([code]);
      expect(out.text()).toContain(`Received ${sig} again; exiting at once`);
    }
    expect(exitCodeOf('SIGTERM')).toBe(143);
  });
});
