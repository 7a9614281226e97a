/**
 * `npm start`: a worker on :8083 running examples/quickstart — a FileStreamSource reading
 * .tributary/quickstart/input.txt into the embedded log and a FileStreamSink writing the topic
 * to .tributary/quickstart/output.txt — with a line appended to the input every two seconds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fromProjectRoot } from '../../runtime/util/project-root.ts';
import { startStandaloneWorker } from '../../app/workers.ts';
import { readConnectorConfig, readWorkerConfig } from '../config-files.ts';
import type { CliIo } from '../io.ts';
import { stringFlag, type ParsedArgs } from '../args.ts';
import { waitForShutdown } from './standalone.ts';

const EXAMPLES = fromProjectRoot('examples', 'quickstart');

export async function runQuickstart(p: ParsedArgs, io: CliIo): Promise<number> {
  if (p.path[1] === 'postgres' || p.path[1] === 'mariadb')
    return (await import('./quickstart-db.ts')).runDatabaseQuickstart(p.path[1], p, io);
  const dir = path.resolve('.tributary', 'quickstart');
  fs.mkdirSync(dir, { recursive: true });
  const input = path.join(dir, 'input.txt');
  if (!fs.existsSync(input))
    fs.writeFileSync(input, Array.from({ length: 10 }, (_v, i) => `hello tributary ${i + 1}`).join('\n') + '\n');
  const workerProps: Record<string, string> = {
    ...readWorkerConfig(path.join(EXAMPLES, 'worker.properties')),
    'tributary.data.dir': path.join(dir, 'data'),
    'file.allowed.paths': dir,
  };
  const port = stringFlag(p, 'port');
  // Loopback only: the quickstart has no authentication (see docs/security.md to expose a worker).
  if (port !== undefined) workerProps.listeners = `http://127.0.0.1:${port}`;
  const worker = await startStandaloneWorker(workerProps);
  for (const file of ['file-source.json', 'file-sink.json']) {
    const { name, config } = readConnectorConfig(path.join(EXAMPLES, file));
    config.file = path.join(dir, file === 'file-source.json' ? 'input.txt' : 'output.txt');
    await worker.herder.putConnectorConfig(name, config, { allowReplace: true });
  }
  let n = fs.readFileSync(input, 'utf8').split('\n').filter(Boolean).length;
  const ticker = setInterval(
    () => fs.appendFileSync(input, `hello tributary ${++n} at ${new Date().toISOString()}\n`),
    2000,
  );
  io.stdout.write(
    [
      `Tributary is running: REST API at ${worker.url}`,
      ...worker.listeners.banner.map((l) => `  ${l}`),
      `  pipeline: ${input} -> topic "quickstart" (embedded log) -> ${path.join(dir, 'output.txt')}`,
      `  try: curl -s ${worker.url}/connectors?expand=status`,
      `       tail -f ${path.join(dir, 'output.txt')}`,
      `       curl -s ${worker.url}/metrics | grep source_record`,
      `       npx tributary consume quickstart --url ${worker.url} --follow`,
      'Ctrl-C stops the worker; offsets are kept, so the next start resumes where it stopped.',
      '',
    ].join('\n'),
  );
  await waitForShutdown(worker, io);
  clearInterval(ticker);
  return 0;
}
