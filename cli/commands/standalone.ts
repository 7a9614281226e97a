/** `tributary standalone <worker.properties|.json> [connector.json ...]`, as connect-standalone. */
import { startStandaloneWorker, type RunningWorker } from '../../runtime/worker/worker.ts';
import { readConnectorConfig, readWorkerConfig } from '../config-files.ts';
import type { CliIo } from '../io.ts';

export async function runStandalone(args: string[], io: CliIo): Promise<number> {
  const [workerFile, ...connectorFiles] = args.filter((a) => !a.startsWith('--'));
  if (!workerFile) {
    io.stderr.write('Usage: tributary standalone <worker.properties|worker.json> [connector.json|connector.properties ...]\n');
    return 2;
  }
  const worker = await startStandaloneWorker(readWorkerConfig(workerFile));
  for (const file of connectorFiles) {
    const { name, config } = readConnectorConfig(file);
    const { created } = await worker.herder.putConnectorConfig(name, config, { allowReplace: true });
    io.stdout.write(`${created ? 'Created' : 'Updated'} connector ${name}\n`);
  }
  io.stdout.write(`Tributary worker running; REST API at ${worker.url}\n`);
  await waitForShutdown(worker, io);
  return 0;
}

export function waitForShutdown(worker: Pick<RunningWorker, 'stop'>, io: CliIo): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      io.stderr.write(`Received ${signal}; stopping worker (flushing offsets)\n`);
      await worker.stop();
      resolve();
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });
}
