/**
 * Turning log records into what the topic console shows: key and value decoded by a converter
 * (the worker's by default, as its sink tasks would see them, schema registry included) and
 * rendered as plain JSON (JsonConverter with schemas.enable=false), or the raw bytes.
 */
import { JsonConverter } from '../converters/json-converter.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import type { Converter } from '../spi/converter.ts';
import type { LogRecord } from '../log/types.ts';
import { BadRequestError } from '../errors.ts';
import { redactText } from '../config/redaction.ts';

/** Short names accepted wherever a converter class is asked for (`--value-converter avro`). */
export const CONVERTER_ALIASES: Record<string, string> = {
  json: 'org.apache.kafka.connect.json.JsonConverter',
  string: 'org.apache.kafka.connect.storage.StringConverter',
  bytes: 'org.apache.kafka.connect.converters.ByteArrayConverter',
  bytearray: 'org.apache.kafka.connect.converters.ByteArrayConverter',
  avro: 'io.confluent.connect.avro.AvroConverter',
  protobuf: 'io.confluent.connect.protobuf.ProtobufConverter',
};

export interface ConverterChoice {
  className: string;
  /** The converter's own settings (schemas.enable, schema.registry.url, …), prefix stripped. */
  configs: Record<string, string>;
}

/** A record as the console shows it; key and value are JSON values (decoded) or strings (raw). */
export interface ConsoleRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: unknown;
  value: unknown;
  headers: Array<{ key: string; value: string | null }>;
  /** Set when the converter could not decode the key/value: the raw text is shown instead. */
  key_error?: string;
  value_error?: string;
}

export function resolveConverterClass(name: string): string {
  return CONVERTER_ALIASES[name.trim().toLowerCase()] ?? name.trim();
}

/** Keys `<kind>.converter.<sub>` of a map, prefix stripped. */
export function converterSubConfigs(kind: 'key' | 'value', map: Record<string, string>): Record<string, string> {
  const prefix = `${kind}.converter.`;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

export class RecordDecoder {
  private readonly rendering = new JsonConverter();

  private constructor(
    private readonly key: Converter | null,
    private readonly value: Converter | null,
  ) {
    this.rendering.configure({ 'schemas.enable': 'false', 'converter.type': 'value' }, false);
  }

  /** Decodes with converters; `raw` shows the bytes as text (UTF-8, else base64 prefixed `base64:`). */
  static async create(
    plugins: PluginRegistry,
    choice: { key: ConverterChoice; value: ConverterChoice } | 'raw',
  ): Promise<RecordDecoder> {
    if (choice === 'raw') return new RecordDecoder(null, null);
    return new RecordDecoder(
      await makeConverter(plugins, 'key', choice.key),
      await makeConverter(plugins, 'value', choice.value),
    );
  }

  async decode(r: LogRecord): Promise<ConsoleRecord> {
    const out: ConsoleRecord = {
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      timestamp: r.timestamp,
      key: null,
      value: null,
      headers: r.headers.map((h) => ({ key: h.key, value: h.value === null ? null : bytesText(h.value) })),
    };
    const key = await this.field(this.key, r.topic, r.key);
    out.key = key.value;
    if (key.error) out.key_error = key.error;
    const value = await this.field(this.value, r.topic, r.value);
    out.value = value.value;
    if (value.error) out.value_error = value.error;
    return out;
  }

  private async field(
    converter: Converter | null,
    topic: string,
    bytes: Buffer | null,
  ): Promise<{ value: unknown; error?: string }> {
    if (bytes === null) return { value: null };
    if (!converter) return { value: bytesText(bytes) };
    try {
      const data = await converter.toConnectData(topic, bytes);
      const json = this.rendering.fromConnectData(topic, data.schema, data.value) as Buffer | null;
      return { value: json === null ? null : (JSON.parse(json.toString('utf8')) as unknown) };
    } catch (err) {
      // A registry error may quote its URL with credentials.
      return { value: bytesText(bytes), error: redactText((err as Error).message) };
    }
  }

  async close(): Promise<void> {
    await this.key?.close?.();
    await this.value?.close?.();
  }
}

async function makeConverter(
  plugins: PluginRegistry,
  kind: 'key' | 'value',
  choice: ConverterChoice,
): Promise<Converter> {
  const className = resolveConverterClass(choice.className);
  const descriptor = plugins.find(className, 'converter');
  if (!descriptor) {
    throw new BadRequestError(
      `${kind}.converter: no converter named ${choice.className}; use json, string, bytes, avro, protobuf or a converter class name`,
    );
  }
  const converter = (await plugins.load(descriptor)).create();
  converter.configure({ ...choice.configs, 'converter.type': kind }, kind === 'key');
  return converter;
}

/** UTF-8 text when the bytes are valid UTF-8, else `base64:<…>`. */
export function bytesText(b: Buffer): string {
  const text = b.toString('utf8');
  return Buffer.from(text, 'utf8').equals(b) ? text : `base64:${b.toString('base64')}`;
}
