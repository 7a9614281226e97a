import { runScenario } from '../harness.ts';
import { dataDirCorruption } from '../faults.ts';
import { fileToFile } from '../pipelines/file-to-file.ts';
import type { ChaosScenario } from './types.ts';

export const fileCorruption: ChaosScenario = {
  name: 'file→file, byte flipped in data.mdb + log recover',
  observed: /corruption: sink task FAILED: CorruptRecordBatchError: .*topic chaos-lines partition 0 offset \d+/,
  async run(o) {
    const p = await fileToFile();
    try {
      await p.worker.start();
      return await runScenario(this.name, p, dataDirCorruption(p), o);
    } finally {
      await p.close();
    }
  },
};
