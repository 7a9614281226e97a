/**
 * The copybook of a decoding config: its text (copybook, copybook.contents) or the merged copybooks
 * (copybooks), parsed into the layout with non_terminals, occurs_mappings and copybook.extensions.
 */
import fs from 'node:fs';
import { ParsedConfig } from '../../../sdk/config.ts';
import { ConfigException } from '../../../sdk/errors.ts';
import { CopybookSyntaxError } from '../copybook/errors.ts';
import { parseCopybookExtensions, type CopybookExtension } from '../copybook/extensions.ts';
import { buildLayout, type Layout } from '../copybook/layout.ts';
import { mergeCopybooks } from '../copybook/merge.ts';
import { parseCopybook } from '../copybook/parser.ts';
import { mappingKey, parseOccursMappings } from '../decoder/occurs-mappings.ts';

/** A ConfigException naming the key, the value and what is wrong with it. */
export function configError(key: string, value: unknown, detail: string): ConfigException {
  return new ConfigException(`Invalid value ${String(value)} for configuration ${key}: ${detail}`, { key });
}

export function readCopybookText(c: ParsedConfig): string {
  const path = c.getOptionalString('copybook');
  const contents = c.getOptionalString('copybook.contents');
  if (path && contents)
    throw new ConfigException('Set only one of copybook and copybook.contents', { key: 'copybook' });
  if (c.getList('copybooks').length > 0)
    throw new ConfigException('copybooks gives several copybooks: read them with readLayout', { key: 'copybooks' });
  if (contents) return contents;
  if (!path)
    throw new ConfigException(
      'Missing required configuration "copybook": the path of the COBOL copybook (or give its text in copybook.contents)',
      { key: 'copybook' },
    );
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw configError('copybook', path, `cannot read the copybook: ${(err as Error).message}`);
  }
}

export function readOccursMappings(c: ParsedConfig): Map<string, Map<string, number>> | undefined {
  const text = c.getOptionalString('occurs.mappings');
  if (!text || !text.trim()) return undefined;
  try {
    return parseOccursMappings(text);
  } catch (err) {
    throw configError('occurs.mappings', text, (err as Error).message);
  }
}

/**
 * The layout of the copybook (copybook or copybook.contents) or of the merged copybooks
 * (copybooks), with the non_terminals and occurs_mappings tables; a syntax error names the file.
 */
export function readLayout(c: ParsedConfig, occursMappings = readOccursMappings(c)): Layout {
  const options = {
    format: c.getString('copybook.format') as 'fixed' | 'free' | 'auto',
    occursMappingTables: occursMappings ? new Set(occursMappings.keys()) : undefined,
    nonTerminals: new Set(c.getList('non.terminals').map(mappingKey)),
    extensions: parseCopybookExtensions(c.getList('copybook.extensions')) as Set<CopybookExtension>,
  };
  const paths = c.getList('copybooks');
  if (paths.length > 0 && (c.getOptionalString('copybook') || c.getOptionalString('copybook.contents')))
    throw new ConfigException('Set only one of copybooks, copybook and copybook.contents', { key: 'copybooks' });
  const sources =
    paths.length > 0
      ? paths.map((path) => ({ source: path, key: 'copybooks', text: readFile('copybooks', path) }))
      : [
          {
            source: c.getOptionalString('copybook') ?? '(copybook.contents)',
            key: c.getOptionalString('copybook') ? 'copybook' : 'copybook.contents',
            text: readCopybookText(c),
          },
        ];
  const asts = sources.map((s) => {
    try {
      return { source: s.source, ast: parseCopybook(s.text, options) };
    } catch (err) {
      if (err instanceof CopybookSyntaxError)
        throw new ConfigException(`Invalid copybook ${s.source}: ${err.message}`, { key: s.key, cause: err });
      throw err;
    }
  });
  try {
    return buildLayout(mergeCopybooks(asts), options);
  } catch (err) {
    if (err instanceof CopybookSyntaxError)
      throw new ConfigException(
        `Invalid copybook ${sources.length > 1 ? paths.join(', ') : sources[0].source}: ${err.message}`,
        { key: sources[0].key, cause: err },
      );
    throw err;
  }
}

function readFile(key: string, path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw configError(key, path, `cannot read the copybook: ${(err as Error).message}`);
  }
}
