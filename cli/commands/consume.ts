/**
 * `tributary consume <topic>` (as kafka-console-consumer: records decoded by the worker's
 * converters, page after page through the cursor; --follow keeps waiting) and
 * `tributary produce <topic>` (lines from stdin, KEY<SEP>VALUE with --key-separator).
 */
import readline from 'node:readline';
import type { CliIo } from '../io.ts';
import { intFlag, stringFlag, UsageError, type ParsedArgs } from '../args.ts';
import type { ConsoleRecord } from '../../runtime/rest/topics-decode.ts';
import type { StartPosition } from '../../runtime/rest/topics-console.ts';
import { propertyFlags, topicTarget, type PageRequest } from './topic-target.ts';

const PAGE = 500;
/** How long one request waits for new records under --follow. */
const FOLLOW_WAIT_MS = 10_000;

export type RecordFormat = 'json' | 'pretty' | 'raw';

export async function runConsume(p: ParsedArgs, io: CliIo): Promise<number> {
  const [topic] = p.positional;
  if (!topic)
    throw new UsageError(
      'tributary consume <topic> [--from-beginning|--offset N|--from-datetime T] [--follow] [--partition P] [--max-messages N] [--format json|pretty|raw]',
    );
  const format = (stringFlag(p, 'format') ?? 'json') as RecordFormat;
  if (!['json', 'pretty', 'raw'].includes(format))
    throw new UsageError(`--format must be json, pretty or raw, not ${format}`);
  const follow = p.flags.follow === true;
  const max = intFlag(p, 'max-messages');
  const properties = propertyFlags(p);
  const decode: PageRequest['decode'] =
    format === 'raw' && !p.flags['value-converter']
      ? 'raw'
      : { key: stringFlag(p, 'key-converter'), value: stringFlag(p, 'value-converter'), properties };
  let start = startPosition(p, follow);
  const target = await topicTarget(p, io);
  let shown = 0;
  // Ctrl-C while following: what was printed is complete; end now rather than after the pending long poll.
  const onSignal = () => {
    io.stderr.write(`${shown} record(s)\n`);
    process.exit(0);
  };
  if (follow) process.once('SIGINT', onSignal);
  try {
    for (;;) {
      const limit = max === undefined ? PAGE : Math.min(PAGE, max - shown);
      if (limit <= 0) break;
      const page = await target.page(topic, {
        partition: intFlag(p, 'partition'),
        start,
        limit,
        waitMs: follow ? FOLLOW_WAIT_MS : 0,
        decode,
      });
      for (const r of page.records) io.stdout.write(formatRecord(r, format));
      shown += page.records.length;
      start = { kind: 'cursor', positions: page.next };
      if (!follow && (page.atEnd || page.records.length === 0)) break;
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    await target.close();
  }
  if (!follow) io.stderr.write(`${shown} record(s)\n`);
  return 0;
}

function startPosition(p: ParsedArgs, follow: boolean): StartPosition {
  const chosen = ['from-beginning', 'offset', 'from-datetime'].filter((f) => p.flags[f] !== undefined);
  if (chosen.length > 1)
    throw new UsageError(
      `give one of --from-beginning, --offset, --from-datetime (got ${chosen.map((c) => `--${c}`).join(' and ')})`,
    );
  const offset = intFlag(p, 'offset');
  if (offset !== undefined) return { kind: 'offset', offset };
  const dt = stringFlag(p, 'from-datetime');
  if (dt !== undefined) {
    const ms = /^\d+$/.test(dt) ? Number(dt) : Date.parse(dt);
    if (!Number.isFinite(ms))
      throw new UsageError(
        `--from-datetime ${dt} is neither an ISO-8601 date-time (2026-01-31T12:00:00Z) nor epoch milliseconds`,
      );
    return { kind: 'timestamp', timestampMs: ms };
  }
  if (p.flags['from-beginning']) return { kind: 'beginning' };
  // As kafka-console-consumer, following starts at the end; a one-shot read shows what is there.
  return follow ? { kind: 'end' } : { kind: 'beginning' };
}

export function formatRecord(r: ConsoleRecord, format: RecordFormat): string {
  if (format === 'raw') return `${typeof r.value === 'string' ? r.value : JSON.stringify(r.value)}\n`;
  const { topic, partition, offset, timestamp, key, value, headers, key_error, value_error } = r;
  const shown = {
    topic,
    partition,
    offset,
    timestamp: new Date(timestamp).toISOString(),
    key,
    value,
    ...(headers.length ? { headers } : {}),
    ...(key_error ? { key_error } : {}),
    ...(value_error ? { value_error } : {}),
  };
  if (format === 'json') return `${JSON.stringify(shown)}\n`;
  const op =
    value !== null && typeof value === 'object' && typeof (value as { op?: unknown }).op === 'string'
      ? `  op: ${(value as { op: string }).op}`
      : '';
  return `--- ${topic}-${partition} @ ${offset}  ${shown.timestamp}  key: ${JSON.stringify(key)}${op}${value_error ? `  (value not decoded: ${value_error})` : ''}\n${JSON.stringify(value, null, 2)}\n`;
}

export async function runProduce(p: ParsedArgs, io: CliIo): Promise<number> {
  const [topic] = p.positional;
  if (!topic)
    throw new UsageError(
      'tributary produce <topic> [--key-separator SEP] [--partition P]  (one record per stdin line)',
    );
  const sep = stringFlag(p, 'key-separator');
  const partition = intFlag(p, 'partition') ?? null;
  const target = await topicTarget(p, io);
  let sent = 0;
  let batch: Array<{ key: string | null; value: string | null; partition: number | null }> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    sent += (await target.produce(topic, batch)).length;
    batch = [];
  };
  try {
    const lines = readline.createInterface({ input: io.stdin ?? process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      if (sep !== undefined) {
        const i = line.indexOf(sep);
        if (i < 0)
          throw new UsageError(
            `line ${sent + batch.length + 1} has no key separator ${JSON.stringify(sep)}: ${line.slice(0, 80)}`,
          );
        batch.push({ key: line.slice(0, i), value: line.slice(i + sep.length), partition });
      } else batch.push({ key: null, value: line, partition });
      if (batch.length >= PAGE) await flush();
    }
    await flush();
  } finally {
    await target.close();
  }
  io.stderr.write(`${sent} record(s) written to ${topic}\n`);
  return 0;
}
