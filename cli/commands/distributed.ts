/** `tributary distributed <worker.properties|.json>`, as connect-distributed. */
import { startDistributedWorker } from '../../app/workers.ts';
import { readWorkerConfig } from '../config-files.ts';
import type { CliIo } from '../io.ts';
import { tuneHeap } from '../heap-tuning.ts';
import { waitForShutdown } from './standalone.ts';

export async function runDistributed(args: string[], io: CliIo): Promise<number> {
  const [workerFile, ...extra] = args.filter((a) => !a.startsWith('--'));
  if (!workerFile || extra.length) {
    io.stderr.write(
      'Usage: tributary distributed <worker.properties|worker.json>  (connectors are created through the REST API, as with connect-distributed)\n',
    );
    return 2;
  }
  const workerProps = readWorkerConfig(workerFile);
  tuneHeap('kafka');
  const worker = await startDistributedWorker(workerProps);
  io.stdout.write(
    `Tributary distributed worker ${worker.self.id} running; REST API at ${worker.url}\n${worker.listeners.banner.map((l) => `  ${l}\n`).join('')}`,
  );
  await waitForShutdown(worker, io);
  return 0;
}
