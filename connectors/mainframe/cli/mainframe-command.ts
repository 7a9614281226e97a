/**
 * `tributary mainframe decode|layout`: decode a mainframe file to JSON lines, or print the
 * computed layout of a copybook (like Cobrix's layout dump).
 *
 *   tributary mainframe decode --copybook <file> --input <file> [--encoding cp037|ascii]
 *       [--record-format F|FB|V|VB|D|T] [--record-length N] [--segment-field NAME --segment VALUE=GROUP ...]
 *       [--copybook-format fixed|free|auto] [--option key=value ...]
 *   tributary mainframe layout --copybook <file> [--copybook-format fixed|free|auto]
 */
import { ParsedConfig } from '../../../runtime/config/config-def.ts';
import { TributaryError } from '../../../runtime/errors.ts';
import { buildReader, DECODING_CONFIG, readCopybookText, translateCobrixOptions } from '../config.ts';
import { codePageKey } from '../codec/text.ts';
import { formatLayout, parseLayout } from '../copybook/layout.ts';
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
  tributary mainframe layout --copybook <file> [--copybook-format fixed|free|auto]
      the computed layout: level and name, type, start, end, length
`;

class CliUsageError extends Error {}

function parseArgs(args: string[]): { flags: Map<string, string[]>; rest: string[] } {
  const flags = new Map<string, string[]>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) { rest.push(a); continue; }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    const value = eq > 0 ? a.slice(eq + 1) : args[++i];
    if (value === undefined) throw new CliUsageError(`--${name} needs a value`);
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { flags, rest };
}

const KNOWN = new Set(['copybook', 'input', 'encoding', 'record-format', 'record-length', 'segment-field', 'segment', 'copybook-format', 'option']);

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
  const enc = one('encoding');
  if (enc) {
    if (enc.toLowerCase() === 'ascii' || enc.toLowerCase() === 'ebcdic') props.encoding = enc.toLowerCase();
    else if (codePageKey(enc)) { props.encoding = 'ebcdic'; props['ebcdic.code.page'] = enc; }
    else { props.encoding = 'ascii'; props['ascii.charset'] = enc; }
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
    switch (verb) {
      case 'layout': {
        const props = decodeProps(flags);
        if (!props.copybook) throw new CliUsageError('layout needs --copybook <file>');
        const c = new ParsedConfig(DECODING_CONFIG, translateCobrixOptions(props));
        io.stdout.write(formatLayout(parseLayout(readCopybookText(c), { format: c.getString('copybook.format') as 'fixed' | 'free' | 'auto' })));
        return 0;
      }
      case 'decode': {
        const input = flags.get('input')?.[0];
        const props = decodeProps(flags);
        if (!props.copybook || !input) throw new CliUsageError('decode needs --copybook <file> and --input <file>');
        const c = new ParsedConfig(DECODING_CONFIG, translateCobrixOptions(props));
        const reader = buildReader(c);
        const json = new JsonView(reader.decoder, reader.schemaRetention);
        const hierarchy = reader.hierarchy();
        const file = new RecordFile(input, reader.framer, { position: reader.fileStartOffset, blockEnd: 0 }, reader.fileEndOffset);
        try {
          let out = '';
          for (;;) {
            const next = file.next(true);
            if (!next) break;
            const { record, buf } = next;
            const d = reader.decode(buf, record.start, record.end);
            const extra: Record<string, string | null> = {};
            if (hierarchy) hierarchy.advance(reader.decoder.segmentGroup(d.segmentId), record.offset).forEach((id, i) => { extra[`Seg_Id${i}`] = id; });
            out += JSON.stringify(json.toJson(d.values, extra)) + '\n';
            if (out.length > 1 << 16) {
              if (!io.stdout.write(out)) await new Promise((r) => io.stdout.once('drain', r));
              out = '';
            }
          }
          if (out) io.stdout.write(out);
        } finally {
          file.close();
        }
        return 0;
      }
      default:
        io.stdout.write(MAINFRAME_USAGE);
        return verb === undefined || verb === 'help' || verb === '--help' ? 0 : 2;
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
