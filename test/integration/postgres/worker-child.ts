/**
 * A worker process for the kill -9 test: starts a standalone worker on the data directory given
 * as argv[2] with the PostgreSQL plugin, creates the connector from argv[3] (a JSON file) unless
 * the data directory already has it, and prints READY.
 */
import fs from 'node:fs';
import { startStandaloneWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';

const [dir, configFile] = process.argv.slice(2);
const worker = await startStandaloneWorker(
  {
    listeners: 'http://127.0.0.1:0',
    'tributary.data.dir': dir,
    'offset.flush.interval.ms': '50',
    'tributary.log.sync': 'os',
  },
  { logger: silentLogger },
);
const body = JSON.parse(fs.readFileSync(configFile, 'utf8')) as { name: string; config: Record<string, string> };
const existing = (await (await fetch(`${worker.url}/connectors`)).json()) as string[];
if (!existing.includes(body.name)) {
  const res = await fetch(`${worker.url}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST /connectors: ${res.status} ${await res.text()}`);
}
process.stdout.write(`READY ${worker.url}\n`);
process.on('SIGTERM', () => {
  void worker.stop().then(() => process.exit(0));
});
