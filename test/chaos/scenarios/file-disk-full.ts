import path from 'node:path';
import { mountSmallFs } from '../../helpers/small-fs.ts';
import { runScenario } from '../harness.ts';
import { diskFull } from '../faults.ts';
import { fileToFile } from '../pipelines/file-to-file.ts';
import type { ChaosScenario } from './types.ts';

export const fileDiskFull: ChaosScenario = {
  name: 'file→file, disk full (embedded log on a 32 MB tmpfs)',
  observed: /disk full: \/health degraded: .*no space left on device at /,
  async run(o) {
    const disk = mountSmallFs(32 * 1024 * 1024);
    try {
      const p = await fileToFile({ dataDir: path.join(disk.dir, 'data') });
      try {
        await p.worker.start();
        return await runScenario(this.name, p, diskFull(disk, p.worker), o);
      } finally {
        await p.close();
      }
    } finally {
      disk.unmount();
    }
  },
};
