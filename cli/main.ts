/** The `tributary` command line. */
import type { CliIo } from './io.ts';
import { runConnectorsCommand, runOffsetsCommand, runPluginsCommand, UsageError } from './commands/client.ts';
import { TributaryError } from '../runtime/errors.ts';
import { redactText } from '../runtime/rest/redaction.ts';

// Worker commands load the runtime lazily so client verbs and tools start fast.
const runStandalone = async (args: string[], io: CliIo) => (await import('./commands/standalone.ts')).runStandalone(args, io);
const runDistributed = async (args: string[], io: CliIo) => (await import('./commands/distributed.ts')).runDistributed(args, io);
const runMainframe = async (args: string[], io: CliIo) => (await import('../connectors/mainframe/cli/mainframe-command.ts')).runMainframeCommand(args, io);
const runBinlog = async (args: string[], io: CliIo) => (await import('./commands/binlog.ts')).runBinlogCommand(args, io);
const runQuickstart = async (args: string[], io: CliIo) => (await import('./commands/quickstart.ts')).runQuickstart(args, io);
const runLog = async (args: string[], io: CliIo) => (await import('./commands/log.ts')).runLogCommand(args, io);

const USAGE = `Usage: tributary <command> [...]

Workers:
  standalone <worker.properties|.json> [connector.json ...]   run a standalone worker (as connect-standalone)
  distributed <worker.properties|.json>                        run a distributed worker (as connect-distributed; needs bootstrap.servers, group.id, *.storage.topic)
  worker --config <worker.properties|.json>                   run a worker with a config file
  quickstart [--port=8083]                                     run the file -> embedded log -> file example (npm start)

Tools:
  mainframe decode --copybook <file> --input <file> [...]     decode EBCDIC/ASCII records by a COBOL copybook to JSON lines
  mainframe layout --copybook <file>                          print a copybook's computed record layout
  binlog decode <binlog file> [--schema <tables.json>]        print every event of a MySQL/MariaDB binlog file as JSON lines
  log verify (--data-dir <dir> | --config <worker.properties>) [--topic <t>]   check the embedded log's record batch checksums
  log recover (--data-dir <dir> | --config <worker.properties>) --topic <t> --partition <p> [--yes]
                                                              truncate a damaged partition at its last valid batch (worker stopped)

Client (against --url, TRIBUTARY_URL or http://localhost:8083; credentials from --user user:pass,
        --token <bearer token> or TRIBUTARY_AUTH="user:pass" / "Bearer <token>"):
  connectors list [--status] [--info]
  connectors get|config|status|tasks|topics|delete|pause|resume|stop <name>
  connectors restart <name> [--include-tasks] [--only-failed]
  connectors create|update <connector.json|.properties>
  plugins [--all]
  offsets get|reset <name>
  offsets reset <sink> --to-datetime <ISO-8601> | --to-earliest | --to-latest [--topic t]   replay a stopped sink
  offsets reset <mysql-source> --to-datetime <ISO-8601>       re-capture a stopped MySQL/MariaDB source from the binlog at that time
  offsets alter <name> <offsets.json>
  offsets import --bootstrap-server <brokers> [--topic connect-offsets] [--connector a,b] [--dry-run]
                                                              migrate source offsets from Kafka Connect's offset topic
`;

export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'standalone':
        return await runStandalone(rest, io);
      case 'distributed':
        return await runDistributed(rest, io);
      case 'worker': {
        const i = rest.indexOf('--config');
        const file = i >= 0 ? rest[i + 1] : rest.find((a) => !a.startsWith('--'));
        if (!file) throw new UsageError('tributary worker --config <worker.properties|worker.json>');
        return await runStandalone([file], io);
      }
      case 'binlog':
        return await runBinlog(rest, io);
      case 'log':
        return await runLog(rest, io);
      case 'mainframe':
        return await runMainframe(rest, io);
      case 'quickstart':
        return await runQuickstart(rest, io);
      case 'connectors':
        return await runConnectorsCommand(rest, io);
      case 'plugins':
        return await runPluginsCommand(rest, io);
      case 'offsets':
        return await runOffsetsCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`Usage: ${err.message}\n`);
      return 2;
    }
    if (err instanceof TributaryError) {
      // A config error may quote a URL with its password (e.g. bootstrap.servers): hide it.
      io.stderr.write(`Error: ${redactText(err.message)}\n`);
      return 1;
    }
    throw err;
  }
}
