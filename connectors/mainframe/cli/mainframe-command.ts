/**
 * `tributary mainframe decode|layout`: decode a mainframe file to JSON lines, or print the
 * computed layout of a copybook (like Cobrix's layout dump).
 *
 *   tributary mainframe decode --copybook <file> --input <file> [--encoding cp037|ascii]
 *       [--record-format F|FB|V|VB|D|T] [--record-length N] [--segment-field NAME --segment VALUE=GROUP ...]
 *       [--copybook-format fixed|free|auto] [--option key=value ...]
 *   tributary mainframe layout --copybook <file> [--copybook-format fixed|free|auto] [--style cobrix|tributary]
                             (--copybooks <file>,<file> instead of --copybook: several copybooks merged, as Cobrix's copybooks)
 */
import { ParsedConfig } from '../../../sdk/config.ts';
import { TributaryError } from '../../../sdk/errors.ts';
import { buildReader, DECODING_CONFIG, readLayout, translateCobrixOptions } from '../config.ts';
import { codePageKey } from '../codec/text.ts';
import { formatLayout } from '../copybook/layout.ts';
import { formatCobrixLayout } from '../copybook/layout-table.ts';
import { JsonLinesWriter } from '../decoder/json-lines-writer.ts';
import { JsonView } from '../decoder/json-view.ts';
import { RecordFile } from '../source/record-file.ts';

export interface MainframeCliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const MAINFRAME_USAGE = `Usage:
  tributary mainframe decode --copybook <file> --input <file> [--encoding cp037|ascii] [--record-format F|FB|V|VB|D|T]
                             [--record-length N] [--segment-field NAME --segment VALUE=GROUP ...]
                             [--copybook-format fixed|free|auto] [--option <key>=<value> ...]
      one JSON object per record on stdout (keys as in the MainframeFileSourceConnector docs)
      records before an invalid one are written, then the error (record number, file byte) and exit 1;
      Cobrix option names work as --option keys (e.g. --option generate_record_id=true)
  tributary mainframe layout --copybook <file> [--copybook-format fixed|free|auto] [--style cobrix|tributary]
      the computed layout: as Cobrix prints it (default), or with types and flags (--style tributary)
`;

class CliUsageError extends Error {}

/** Bytes of output handed to stdout at once. */
const OUTPUT_CHUNK = 1 << 20;

function parseArgs(args: string[]): { flags: Map<string, string[]>; rest: string[] } {
  const flags = new Map<string, string[]>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      rest.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (name === 'help') {
      flags.set('help', ['']);
      continue;
    }
    const value = eq > 0 ? a.slice(eq + 1) : args[++i];
    if (value === undefined) throw new CliUsageError(`--${name} needs a value`);
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { flags, rest };
}

const KNOWN = new Set([
  'copybook',
  'copybooks',
  'input',
  'encoding',
  'record-format',
  'record-length',
  'segment-field',
  'segment',
  'copybook-format',
  'option',
  'help',
]);

/** CLI flags → the decoding config keys of the connector. */
export function decodeProps(flags: Map<string, string[]>): Record<string, string> {
  for (const k of flags.keys()) if (!KNOWN.has(k)) throw new CliUsageError(`Unknown option --${k}`);
  const one = (k: string) => flags.get(k)?.[flags.get(k)!.length - 1];
  const props: Record<string, string> = {};
  for (const o of flags.get('option') ?? []) {
    const i = o.indexOf('=');
    if (i <= 0) throw new CliUsageError(`--option expects key=value, got "${o}"`);
    props[o.slice(0, i)] = o.slice(i + 1);
  }
  const copybook = one('copybook');
  if (copybook) props.copybook = copybook;
  const copybooks = one('copybooks');
  if (copybooks) props.copybooks = copybooks;
  const enc = one('encoding');
  if (enc) {
    if (enc.toLowerCase() === 'ascii' || enc.toLowerCase() === 'ebcdic') props.encoding = enc.toLowerCase();
    else if (codePageKey(enc)) {
      props.encoding = 'ebcdic';
      props['ebcdic.code.page'] = enc;
    } else {
      props.encoding = 'ascii';
      props['ascii.charset'] = enc;
    }
  }
  if (one('record-format')) props['record.format'] = one('record-format')!.toUpperCase();
  if (one('record-length')) props['record.length'] = one('record-length')!;
  if (one('copybook-format')) props['copybook.format'] = one('copybook-format')!;
  if (one('segment-field')) props['segment.field'] = one('segment-field')!;
  const segs = flags.get('segment');
  if (segs) props['segment.redefines'] = segs.join(',');
  return props;
}

export async function runMainframeCommand(args: string[], io: MainframeCliIo): Promise<number> {
  const [verb, ...rest] = args;
  try {
    const { flags } = parseArgs(rest);
    if (flags.has('help') || verb === '--help' || verb === '-h' || verb === 'help' || verb === undefined) {
      io.stdout.write(MAINFRAME_USAGE);
      return 0;
    }
    switch (verb) {
      case 'layout': {
        const style = flags.get('style')?.[0] ?? 'cobrix';
        if (style !== 'cobrix' && style !== 'tributary')
          throw new CliUsageError(`--style is cobrix or tributary, not "${style}"`);
        flags.delete('style');
        const props = decodeProps(flags);
        if (!props.copybook && !props.copybooks)
          throw new CliUsageError('layout needs --copybook <file> (or --copybooks <file>,<file>)');
        // non_terminals, occurs_mappings and copybooks shape the layout too
        const layout = readLayout(new ParsedConfig(DECODING_CONFIG, translateCobrixOptions(props)));
        io.stdout.write(style === 'cobrix' ? formatCobrixLayout(layout) : formatLayout(layout));
        return 0;
      }
      case 'decode': {
        const input = flags.get('input')?.[0];
        const props = decodeProps(flags);
        if ((!props.copybook && !props.copybooks) || !input)
          throw new CliUsageError('decode needs --copybook <file> (or --copybooks <file>,<file>) and --input <file>');
        return await decodeFile(input, new ParsedConfig(DECODING_CONFIG, translateCobrixOptions(props)), io);
      }
      default:
        io.stderr.write(`Unknown mainframe command "${verb}"\n\n${MAINFRAME_USAGE}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof CliUsageError) {
      io.stderr.write(`${err.message}\n\n${MAINFRAME_USAGE}`);
      return 2;
    }
    if (err instanceof TributaryError || err instanceof Error) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

/**
 * Streams JSON lines: what was decoded before a failure is written before the error (naming the
 * record number and its file byte); a reader that goes away (`| head`) ends the run quietly.
 */
async function decodeFile(input: string, c: ParsedConfig, io: MainframeCliIo): Promise<number> {
  const reader = buildReader(c, { generatedColumns: true });
  const json = new JsonView(reader.decoder, reader.schemaRetention);
  const hierarchy = reader.hierarchy();
  const columns = reader.generatedColumns();
  const names = columns.names;
  const file = new RecordFile(
    input,
    reader.framer,
    { position: reader.fileStartOffset, blockEnd: 0 },
    reader.fileEndOffset,
  );
  let closed = false;
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') closed = true;
  };
  io.stdout.on('error', onError);
  // records are written as bytes into a large buffer handed to stdout when full; the fast writer
  // (none for segments, ODO, record offsets) writes most records, the exact path the others
  const writer =
    reader.recordStartOffset === 0 && reader.recordEndOffset === 0
      ? JsonLinesWriter.create(reader.decoder, reader.schemaRetention)
      : null;
  const fast = writer !== null && !hierarchy && !writer.topKeys.some((k) => names.includes(k)) ? writer : null;
  const chunkSize = Math.max(OUTPUT_CHUNK, 4 * (fast?.maxLineBytes ?? 0));
  let out = Buffer.allocUnsafe(chunkSize);
  let pos = 0;
  const flush = async () => {
    if (pos > 0 && !closed && !io.stdout.write(out.subarray(0, pos)))
      await new Promise<void>((r) => {
        io.stdout.once('drain', r);
        io.stdout.once('error', () => r());
      });
    // the stream holds the bytes written until it has sent them
    out = Buffer.allocUnsafe(chunkSize);
    pos = 0;
  };
  const writeLine = async (line: string) => {
    const len = Buffer.byteLength(line);
    if (pos + len > out.length) await flush();
    if (len > out.length) {
      if (!closed && !io.stdout.write(line))
        await new Promise<void>((r) => {
          io.stdout.once('drain', r);
          io.stdout.once('error', () => r());
        });
      return;
    }
    pos += out.write(line, pos, 'utf8');
  };
  let index = 0;
  try {
    for (;;) {
      if (closed) return 0;
      // a framing error names its file byte itself
      const next = file.next(true);
      if (!next) break;
      const { record, buf } = next;
      if (fast !== null) {
        const generated = columns.empty ? null : columns.next(index, record.end - record.start, null);
        const prefix =
          generated === null || generated.length === 0
            ? null
            : Buffer.from(JSON.stringify(Object.fromEntries(names.map((n, i) => [n, generated[i]]))).slice(1, -1));
        if (pos + fast.maxLineBytes + (prefix?.length ?? 0) > out.length) await flush();
        const r = fast.write(buf, record.start, record.end, out, pos, prefix);
        if (r >= 0) {
          pos = r;
          index++;
          if (pos > out.length - fast.maxLineBytes) await flush();
          continue;
        }
        // the exact path below makes the line (or the error) of this record; its generated columns are made
        if (!columns.empty) {
          let d;
          try {
            d = reader.decode(buf, record.start, record.end);
          } catch (err) {
            throw new Error(`Record ${index + 1} (file byte ${record.offset}): ${(err as Error).message}`, {
              cause: err,
            });
          }
          index++;
          const extra: Record<string, unknown> = {};
          generated?.forEach((v, i) => {
            extra[names[i]] = v;
          });
          await writeLine(JSON.stringify(json.toJson(d.values, extra)) + '\n');
          continue;
        }
      }
      let d;
      try {
        d = reader.decode(buf, record.start, record.end);
      } catch (err) {
        throw new Error(`Record ${index + 1} (file byte ${record.offset}): ${(err as Error).message}`, { cause: err });
      }
      const generated = columns.next(index++, record.end - record.start, d.segmentId);
      if (generated === null) continue;
      const extra: Record<string, unknown> = {};
      generated.forEach((v, i) => {
        extra[names[i]] = v;
      });
      if (hierarchy)
        hierarchy.advance(reader.decoder.segmentGroup(d.segmentId), record.offset).forEach((id, i) => {
          extra[`Seg_Id${i}`] = id;
        });
      await writeLine(JSON.stringify(json.toJson(d.values, extra)) + '\n');
    }
    await flush();
    return 0;
  } catch (err) {
    await flush();
    if (closed) return 0;
    throw err;
  } finally {
    file.close();
    io.stdout.off('error', onError);
  }
}
