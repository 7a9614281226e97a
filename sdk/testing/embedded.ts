/** The embedded log a harness runs against: a fresh store in a temporary directory, removed on close. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedLog } from '../../runtime/log/embedded-log.ts';

export interface TempLog {
  log: EmbeddedLog;
  dir: string;
  close(): Promise<void>;
}

export async function openTempLog(): Promise<TempLog> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-testkit-'));
  const log = await EmbeddedLog.open({ dir, sync: 'os', retentionCheckIntervalMs: 0 });
  return {
    log,
    dir,
    async close() {
      await log.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
