/**
 * Cobrix's option names (record_format, ebcdic_code_page, segment_id_level0, ...) translated to
 * Tributary's keys; options Tributary does not implement are rejected with the reason.
 */
import { ConfigException } from '../../../sdk/errors.ts';

/** Cobrix option → our key, with a value translation where the semantics differ. */
export const COBRIX_ALIASES: Record<string, { key: string; value?: (v: string) => string }> = {
  copybook_contents: { key: 'copybook.contents' },
  ebcdic_code_page: { key: 'ebcdic.code.page' },
  // a Java class in Cobrix; here the name a table was registered under (registerEbcdicCodePage)
  ebcdic_code_page_class: { key: 'ebcdic.code.page' },
  ascii_charset: { key: 'ascii.charset' },
  string_trimming_policy: { key: 'string.trimming.policy' },
  floating_point_format: { key: 'floating.point.format' },
  variable_size_occurs: { key: 'variable.size.occurs' },
  schema_retention_policy: { key: 'schema.retention.policy' },
  segment_field: { key: 'segment.field' },
  record_format: { key: 'record.format' },
  record_length: { key: 'record.length' },
  is_rdw_big_endian: { key: 'rdw.big.endian' },
  rdw_adjustment: { key: 'rdw.adjustment', value: (v) => String(Number(v) + 4) },
  // Cobrix: true is rdw_adjustment=-4 (the RDW length counts its own 4 bytes, IBM's convention)
  is_rdw_part_of_record_length: {
    key: 'rdw.adjustment',
    value: (v) => (v.trim().toLowerCase() === 'true' ? '0' : '4'),
  },
  is_bdw_big_endian: { key: 'bdw.big.endian' },
  bdw_adjustment: { key: 'bdw.adjustment' },
  record_length_field: { key: 'record.length.field' },
  file_start_offset: { key: 'file.start.offset' },
  file_end_offset: { key: 'file.end.offset' },
  record_start_offset: { key: 'record.start.offset' },
  debug: {
    key: 'debug.fields',
    value: (v) => (v.toLowerCase() === 'true' ? 'hex' : v.toLowerCase() === 'false' ? 'none' : v),
  },
  record_end_offset: { key: 'record.end.offset' },
  strict_sign_overpunching: { key: 'strict.sign.overpunching' },
  segment_id_prefix: { key: 'segment.id.prefix' },
  segment_filter: { key: 'segment.filter' },
  generate_record_id: { key: 'generate.record.id' },
  drop_group_fillers: { key: 'drop.group.fillers' },
  drop_value_fillers: { key: 'drop.value.fillers' },
  improved_null_detection: { key: 'improved.null.detection' },
  occurs_mappings: { key: 'occurs.mappings' },
  record_header_parser: { key: 'record.header.parser' },
  rhp_additional_info: { key: 'rhp.additional.info' },
  non_terminals: { key: 'non.terminals' },
};

/** Cobrix's numbered options (segment_id_level0, redefine-segment-id-map:1, segment-children:2) gathered into one key of ours. */
const COBRIX_NUMBERED: Array<{
  pattern: RegExp;
  key: string;
  separator: string;
  value: (v: string, k: string) => string;
}> = [
  { pattern: /^segment_id_(?:level(\d+)|root)$/, key: 'segment.id.levels', separator: ';', value: (v) => v },
  {
    pattern: /^redefine[-_]segment[-_]id[-_]map(:\d+)?$/,
    key: 'segment.redefines',
    separator: ',',
    value: (v, k) =>
      arrowPairs(v, k)
        .ids.map((id) => `${id}=${arrowPairs(v, k).group}`)
        .join(','),
  },
  {
    pattern: /^segment[-_]children(:\d+)?$/,
    key: 'segment.children',
    separator: ';',
    value: (v, k) => `${arrowPairs(v, k).group}=>${arrowPairs(v, k).ids.join(',')}`,
  },
];

function arrowPairs(v: string, key: string): { group: string; ids: string[] } {
  const i = v.indexOf('=>');
  if (i <= 0)
    throw new ConfigException(`Invalid value ${v} for configuration ${key}: expected GROUP => value1,value2`, { key });
  return {
    group: v.slice(0, i).trim(),
    ids: v
      .slice(i + 2)
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x),
  };
}

/** Cobrix options Tributary does not implement: rejected with the reason rather than ignored. */
const UNSUPPORTED_COBRIX_OPTIONS: Record<string, string> = {
  record_extractor: 'custom record extractors are not supported',
};

/** Rewrites Cobrix option names to ours; a key given both ways is an error. */
export function translateCobrixOptions(props: Record<string, string>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = { ...props };
  const numbered = new Map<string, Array<[number, string]>>();
  for (const [k, v] of Object.entries(props)) {
    if (!k.startsWith(prefix)) continue;
    const name = k.slice(prefix.length);
    if (UNSUPPORTED_COBRIX_OPTIONS[name])
      throw new ConfigException(`Cobrix option ${k}=${v} is not supported: ${UNSUPPORTED_COBRIX_OPTIONS[name]}`, {
        key: k,
      });
    const rule = COBRIX_NUMBERED.find((r) => r.pattern.test(name));
    if (rule) {
      const n = Number(rule.pattern.exec(name)![1]?.replace(':', '') ?? 0);
      if (props[prefix + rule.key] !== undefined)
        throw new ConfigException(`Both ${k} and ${prefix + rule.key} are set; remove ${k}`, { key: k });
      numbered.set(rule.key, [...(numbered.get(rule.key) ?? []), [n, rule.value(v, k)]]);
      delete out[k];
      continue;
    }
    const alias = COBRIX_ALIASES[name];
    if (!alias) continue;
    const target = prefix + alias.key;
    if (props[target] !== undefined)
      throw new ConfigException(`Both ${k} and ${target} are set; remove ${k}`, { key: k });
    const other = Object.keys(props).find(
      (x) => x !== k && x.startsWith(prefix) && COBRIX_ALIASES[x.slice(prefix.length)]?.key === alias.key,
    );
    if (other)
      throw new ConfigException(`Both ${k} and ${other} are set; they are the same option (${target}): remove one`, {
        key: k,
      });
    out[target] = alias.value ? alias.value(v) : v;
    delete out[k];
  }
  for (const [key, parts] of numbered) {
    const rule = COBRIX_NUMBERED.find((r) => r.key === key)!;
    out[prefix + key] = parts
      .sort((a, b) => a[0] - b[0])
      .map((p) => p[1])
      .join(rule.separator);
  }
  return out;
}
