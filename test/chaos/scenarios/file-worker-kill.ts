import { runScenario } from '../harness.ts';
import { workerKill } from '../faults.ts';
import { fileToFile } from '../pipelines/file-to-file.ts';
import type { ChaosScenario } from './types.ts';

export const fileWorkerKill: ChaosScenario = {
  name: 'file→file, worker SIGKILL',
  async run(o) {
    const p = await fileToFile();
    try {
      await p.worker.start();
      return await runScenario(this.name, p, workerKill(p.worker), o);
    } finally {
      await p.close();
    }
  },
};
