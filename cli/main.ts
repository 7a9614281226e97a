/** The `tributary` command line: parses against the command table (spec.ts) and dispatches. */
import type { CliIo } from './io.ts';
import { parseArgs, UsageError, type ParsedArgs } from './args.ts';
import { findCommand, helpText, overviewText, subcommandsOf } from './spec.ts';

type Handler = (p: ParsedArgs, io: CliIo) => Promise<number>;

// Worker commands and tools load lazily so client verbs start fast.
const HANDLERS: Record<string, Handler> = {
  standalone: async (p, io) => (await import('./commands/standalone.ts')).runStandalone(p.rest, io),
  distributed: async (p, io) => (await import('./commands/distributed.ts')).runDistributed(p.rest, io),
  worker: async (p, io) => {
    const file = typeof p.flags.config === 'string' ? p.flags.config : p.positional[0];
    if (!file) throw new UsageError('tributary worker --config <worker.properties|worker.json>');
    return (await import('./commands/standalone.ts')).runStandalone([file], io);
  },
  quickstart: async (p, io) => (await import('./commands/quickstart.ts')).runQuickstart(p, io),
  binlog: async (p, io) => (await import('./commands/binlog.ts')).runBinlogCommand([p.path[1], ...p.rest], io),
  log: async (p, io) => (await import('./commands/log.ts')).runLogCommand([p.path[1], ...p.rest], io),
  mainframe: async (p, io) =>
    (await import('../connectors/mainframe/cli/mainframe-command.ts')).runMainframeCommand([p.path[1], ...p.rest], io),
  connectors: async (p, io) => (await import('./commands/client.ts')).runConnectorsCommand(p, io),
  plugins: async (p, io) => (await import('./commands/client.ts')).runPluginsCommand(p, io),
  offsets: async (p, io) => (await import('./commands/client.ts')).runOffsetsCommand(p, io),
  topics: async (p, io) => (await import('./commands/topics.ts')).runTopicsCommand(p, io),
  consume: async (p, io) => (await import('./commands/consume.ts')).runConsume(p, io),
  produce: async (p, io) => (await import('./commands/consume.ts')).runProduce(p, io),
  completion: async (p, io) => (await import('./commands/completion.ts')).runCompletion(p, io),
  new: async (p, io) => (await import('./commands/new-plugin.ts')).runNewCommand(p, io),
};

export async function main(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  try {
    if (argv.length === 1 && argv[0] === '--version') {
      io.stdout.write(`tributary ${(await import('../runtime/version.ts')).VERSION}\n`);
      return 0;
    }
    const p = parseArgs(argv);
    if (p.path.length === 0) {
      io[p.help ? 'stdout' : 'stderr'].write(overviewText());
      return p.help ? 0 : 2;
    }
    const spec = p.spec ?? findCommand(p.path)!;
    if (p.help) {
      io.stdout.write(helpText(spec));
      return 0;
    }
    if (subcommandsOf(p.path).length > 0 && p.path[0] !== 'quickstart') {
      // A group without its subcommand.
      io.stderr.write(helpText(spec));
      return 2;
    }
    return await HANDLERS[p.path[0]](p, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${err.message.startsWith('tributary ') ? 'Usage: ' : ''}${err.message}\n`);
      return 2;
    }
    return await reportError(err, io);
  }
}

/** The one-line report of a failed command; its modules load only then, so `--help` starts fast. */
async function reportError(err: unknown, io: CliIo): Promise<number> {
  const [{ CliRequestError }, { TributaryError }, { redactText }, { withPortOwner }] = await Promise.all([
    import('./commands/client.ts'),
    import('../runtime/errors.ts'),
    import('../runtime/config/redaction.ts'),
    import('./port-owner.ts'),
  ]);
  if (err instanceof CliRequestError) {
    io.stderr.write(`Error: ${err.message}\n`);
    return 1;
  }
  if (err instanceof TributaryError) {
    // A config error may quote a URL with its password (e.g. bootstrap.servers): hide it.
    io.stderr.write(`Error: ${redactText(withPortOwner(err.message))}\n`);
    return 1;
  }
  // Anything else (a broker that cannot be reached, a bug): one line; the stack with TRIBUTARY_DEBUG=1.
  if (process.env.TRIBUTARY_DEBUG) throw err;
  const e = err as Error & { cause?: { message?: string } };
  const cause = e.cause?.message && !e.message.includes(e.cause.message) ? ` (${e.cause.message})` : '';
  io.stderr.write(
    `Error: ${redactText(`${e.message ?? String(err)}${cause}`).split('\n')[0]} — set TRIBUTARY_DEBUG=1 for the stack trace\n`,
  );
  return 1;
}
