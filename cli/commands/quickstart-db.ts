/**
 * `tributary quickstart postgres|mariadb`: the newcomer's first CDC pipeline. Creates a sample
 * table (tributary_quickstart.customers) with three rows, starts a worker on the embedded log,
 * creates the source connector from examples/<db>-inventory.json (database settings from the URL),
 * waits for the snapshot, inserts, updates and deletes a row, and shows the change events the way
 * `tributary consume` shows them. Keeps running (streaming) until Ctrl-C unless --exit.
 */
import path from 'node:path';
import { stringFlag, type ParsedArgs } from '../args.ts';
import type { CliIo } from '../io.ts';
import { readConnectorConfig } from '../config-files.ts';
import { fromProjectRoot } from '../../runtime/util/project-root.ts';
import { ConfigException } from '../../runtime/errors.ts';
import { prepareMariadb, preparePostgres, type SampleDatabase } from './quickstart-samples.ts';

const EXAMPLES = fromProjectRoot('examples');

/** Records the sample leaves on the topic: 3 snapshot reads, insert, update, delete and its tombstone. */
const EXPECTED_RECORDS = 7;

const DEFAULT_URLS = {
  postgres: 'postgres://postgres:postgres@127.0.0.1:5432/postgres',
  mariadb: 'mysql://root@127.0.0.1:3306/',
};

export async function runDatabaseQuickstart(kind: 'postgres' | 'mariadb', p: ParsedArgs, io: CliIo): Promise<number> {
  const dbUrl =
    stringFlag(p, 'db-url') ??
    (kind === 'postgres' ? process.env.TRIBUTARY_PG_URL : process.env.TRIBUTARY_MYSQL_URL) ??
    DEFAULT_URLS[kind];
  const dataDir = path.resolve(stringFlag(p, 'data-dir') ?? path.join('.tributary', `quickstart-${kind}`));
  const port = stringFlag(p, 'port') ?? '8083';
  const say = (line: string) => io.stdout.write(`${line}\n`);

  say(`1. Sample table tributary_quickstart.customers in ${redactUrl(dbUrl)}`);
  const db: SampleDatabase = kind === 'postgres' ? await preparePostgres(dbUrl) : await prepareMariadb(dbUrl, dataDir);
  const { startStandaloneWorker } = await import('../../app/workers.ts');
  const { createLogger } = await import('../../runtime/logging.ts');
  let worker: Awaited<ReturnType<typeof startStandaloneWorker>> | undefined;
  try {
    worker = await startStandaloneWorker(
      {
        listeners: `http://127.0.0.1:${port}`,
        'tributary.data.dir': path.join(dataDir, 'data'),
        'offset.flush.interval.ms': '1000',
        'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      },
      { logger: createLogger({ level: process.env.TRIBUTARY_LOG_LEVEL ?? 'warn' }) },
    );
    say(`2. Worker running on the embedded log (${path.join(dataDir, 'data')}); REST API at ${worker.url}`);

    const example = path.join(EXAMPLES, `${kind}-inventory.json`);
    const { name, config } = readConnectorConfig(example);
    await worker.herder.putConnectorConfig(name, { ...config, ...db.connectorOverrides }, { allowReplace: true });
    const shown = path.relative(process.cwd(), example);
    say(
      `3. Connector ${name} created from ${shown.startsWith('..') ? example : shown} (database settings from the URL)`,
    );

    const topic = db.topic;
    const log = worker.embedded.log;
    const endOffset = () => log.endOffset({ topic, partition: 0 });
    const failed = () => {
      const s = worker!.herder.connectorStatus(name) as {
        connector: { state: string; trace?: string };
        tasks: Array<{ state: string; trace?: string }>;
      };
      const f = [s.connector, ...s.tasks].find((x) => x.state === 'FAILED');
      return f ? (f.trace ?? 'FAILED').split('\n')[0] : null;
    };
    await until(() => endOffset() >= 3, failed, 60_000, `the snapshot of ${topic}`);
    say('4. Snapshot done; now inserting, updating and deleting a row');
    await db.makeChanges();
    await until(() => endOffset() >= EXPECTED_RECORDS, failed, 60_000, `the changes on ${topic}`);

    say(`5. The change events, as shown by: npx tributary consume ${topic} --url ${worker.url} --format pretty\n`);
    const [{ parseArgs }, { runConsume }] = await Promise.all([import('../args.ts'), import('./consume.ts')]);
    await runConsume(parseArgs(['consume', topic, '--url', worker.url, '--format', 'pretty']), io);

    if (p.flags.exit === true) return 0;
    say(
      [
        '',
        `The connector keeps streaming. Change the table (${db.shell}) and watch:`,
        `  npx tributary consume ${topic} --url ${worker.url} --follow --format pretty`,
        `  npx tributary connectors status ${name} --url ${worker.url} --watch`,
        'Ctrl-C stops the worker.',
      ].join('\n'),
    );
    const { waitForShutdown } = await import('./shutdown.ts');
    const running = worker;
    worker = undefined; // waitForShutdown stops it
    await waitForShutdown(running, io);
    return 0;
  } finally {
    await worker?.stop();
    await db.close();
  }
}

async function until(
  ready: () => boolean,
  failed: () => string | null,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    const trace = failed();
    if (trace) throw new ConfigException(`The quickstart connector failed: ${trace}`);
    if (Date.now() > deadline)
      throw new ConfigException(
        `Timed out after ${timeoutMs / 1000} s waiting for ${what}; see the worker log (TRIBUTARY_LOG_LEVEL=info)`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
