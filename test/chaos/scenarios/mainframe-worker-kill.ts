import { runScenario } from '../harness.ts';
import { workerKill } from '../faults.ts';
import { mainframeToLog } from '../pipelines/mainframe-to-log.ts';
import type { ChaosScenario } from './types.ts';

export const mainframeWorkerKill: ChaosScenario = {
  name: 'mainframe→log→file, worker SIGKILL',
  async run(o) {
    const p = await mainframeToLog();
    try {
      await p.worker.start();
      return await runScenario(this.name, p, workerKill(p.worker), o);
    } finally {
      await p.close();
    }
  },
};
