/** `tributary topics list|describe|create|delete`, through a worker or against Kafka (--bootstrap-server). */
import type { CliIo } from '../io.ts';
import { intFlag, listFlag, UsageError, type ParsedArgs } from '../args.ts';
import { render, type OutputFormat } from '../output.ts';
import { topicTarget } from './topic-target.ts';

export async function runTopicsCommand(p: ParsedArgs, io: CliIo): Promise<number> {
  const verb = p.path[1];
  const [topic] = p.positional;
  if (verb !== 'list' && !topic) throw new UsageError(`tributary topics ${verb} <topic>`);
  const output = (p.globals.output ?? 'json') as OutputFormat;
  const target = await topicTarget(p, io);
  try {
    switch (verb) {
      case 'list':
        io.stdout.write(render(await target.list(), output) + '\n');
        return 0;
      case 'describe':
        io.stdout.write(render(await target.describe(topic), output) + '\n');
        return 0;
      case 'create': {
        const configs: Record<string, string> = {};
        for (const kv of listFlag(p, 'config')) {
          const i = kv.indexOf('=');
          if (i <= 0) throw new UsageError(`--config expects KEY=VALUE (e.g. retention.ms=-1), got ${kv}`);
          configs[kv.slice(0, i)] = kv.slice(i + 1);
        }
        io.stdout.write(render(await target.create(topic, intFlag(p, 'partitions') ?? 1, configs), output) + '\n');
        return 0;
      }
      case 'delete':
        await target.delete(topic);
        io.stdout.write(`Deleted topic ${topic}\n`);
        return 0;
      default:
        throw new UsageError('tributary topics list|describe|create|delete');
    }
  } finally {
    await target.close();
  }
}
