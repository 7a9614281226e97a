import { describe, it, expect } from 'vitest';
import { runBinlogCommand } from './binlog.ts';

describe('tributary binlog', () => {
  it('prints usage for a missing file', async () => {
    let err = '';
    const code = await runBinlogCommand(['decode'], {
      stdout: { write: () => true },
      stderr: {
        write: (s: string) => {
          err += s;
          return true;
        },
      },
    } as never);
    expect(code).toBe(2);
    expect(err).toMatch(/tributary binlog decode <binlog file>/);
  });
});
