/** `tributary standalone <worker.properties|.json> [connector.json ...]`, as connect-standalone. */
import { startStandaloneWorker } from '../../app/workers.ts';
import { readConnectorConfig, readWorkerConfig } from '../config-files.ts';
import type { CliIo } from '../io.ts';
import { tuneHeap } from '../heap-tuning.ts';
import { waitForShutdown } from './shutdown.ts';

export async function runStandalone(args: string[], io: CliIo): Promise<number> {
  const [workerFile, ...connectorFiles] = args.filter((a) => !a.startsWith('--'));
  if (!workerFile) {
    io.stderr.write(
      'Usage: tributary standalone <worker.properties|worker.json> [connector.json|connector.properties ...]\n',
    );
    return 2;
  }
  const workerProps = readWorkerConfig(workerFile);
  tuneHeap(workerProps['bootstrap.servers'] ? 'kafka' : 'embedded');
  const worker = await startStandaloneWorker(workerProps);
  // Signals are handled from here on: a SIGTERM while the connector files are being applied stops
  // the worker gracefully instead of killing the process.
  let stopping = false;
  const shutdown = waitForShutdown(
    {
      stop: () => {
        stopping = true;
        return worker.stop();
      },
    },
    io,
  );
  for (const file of connectorFiles) {
    if (stopping) break;
    const { name, config } = readConnectorConfig(file);
    try {
      const { created } = await worker.herder.putConnectorConfig(name, config, { allowReplace: true });
      io.stdout.write(`${created ? 'Created' : 'Updated'} connector ${name}\n`);
    } catch (err) {
      if (stopping) break;
      throw err;
    }
  }
  if (!stopping)
    io.stdout.write(
      `Tributary worker running; REST API at ${worker.url}\n${worker.listeners.banner.map((l) => `  ${l}\n`).join('')}`,
    );
  return shutdown;
}

export { waitForShutdown } from './shutdown.ts';
