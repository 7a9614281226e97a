/**
 * CopybookConverter (value.converter / key.converter): decodes one raw mainframe record per
 * Kafka message with a copybook into a Connect struct, for feeds that arrive on topics already
 * (mainframe CDC tools, MQ bridges). Takes the decoding keys of the source connector (copybook,
 * encoding, ebcdic.code.page, segment.field, ...) under the converter prefix. A message framed
 * with an RDW can be unwrapped with record.format=V. Writing Connect data back to EBCDIC is not
 * supported.
 */
import { ConfigDef, ParsedConfig, Validators } from '../../../sdk/config.ts';
import { DataException } from '../../../sdk/errors.ts';
import type { Converter, SchemaAndValue } from '../../../sdk/spi.ts';
import { buildReader, DECODING_CONFIG, translateCobrixOptions, type MainframeReader } from '../config.ts';
import { ConnectView } from '../decoder/connect-view.ts';
import { RecordDecodeError } from '../decoder/record-decoder.ts';
import { rdwPayloadLength } from '../framing/framer.ts';

export const COPYBOOK_CONVERTER_CONFIG = new ConfigDef()
  .define({
    name: 'schema.name',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation: 'Name of the value struct schema; default <topic>.Value.',
  })
  .define({
    name: 'message.framing',
    type: 'STRING',
    defaultValue: 'none',
    importance: 'LOW',
    validator: Validators.in('none', 'rdw'),
    documentation:
      'none: the message is the record; rdw: the message starts with a 4-byte RDW (rdw.big.endian, rdw.adjustment apply).',
  })
  .merge(DECODING_CONFIG);

export class CopybookConverter implements Converter {
  private reader!: MainframeReader;
  private framing: 'none' | 'rdw' = 'none';
  private schemaName: string | null = null;
  private readonly views = new Map<string, ConnectView>();
  private rdw = { bigEndian: true, adjustment: 0 };

  configure(configs: Record<string, string>, _isKey: boolean): void {
    const c = new ParsedConfig(COPYBOOK_CONVERTER_CONFIG, translateCobrixOptions(configs));
    this.reader = buildReader(c);
    this.framing = c.getString('message.framing') as 'none' | 'rdw';
    this.schemaName = c.getOptionalString('schema.name');
    this.rdw = { bigEndian: c.getBoolean('rdw.big.endian'), adjustment: c.getInt('rdw.adjustment') };
  }

  config(): ConfigDef {
    return COPYBOOK_CONVERTER_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  private viewFor(topic: string): ConnectView {
    const name = this.schemaName ?? `${topic}.Value`;
    let v = this.views.get(name);
    if (!v) {
      v = new ConnectView(this.reader.decoder, { name, schemaRetention: this.reader.schemaRetention });
      this.views.set(name, v);
    }
    return v;
  }

  fromConnectData(): Buffer | null {
    throw new DataException(
      'CopybookConverter only reads mainframe records (toConnectData); use another converter to write records',
    );
  }

  toConnectData(topic: string, value: Buffer | null): SchemaAndValue {
    const view = this.viewFor(topic);
    if (value === null) return { schema: view.schema, value: null };
    let start = 0;
    let end = value.length;
    if (this.framing === 'rdw') {
      if (value.length < 4)
        throw new DataException(`Message on ${topic} is shorter than an RDW (${value.length} bytes)`);
      const len = rdwPayloadLength(value, 0, this.rdw, 0);
      start = 4;
      end = Math.min(value.length, 4 + len);
    }
    try {
      const decoded = this.reader.decode(value, start, end);
      return { schema: view.schema, value: view.toStruct(decoded.values) };
    } catch (err) {
      if (err instanceof RecordDecodeError)
        throw new DataException(
          `Converting mainframe record on ${topic} to Kafka Connect data failed: ${err.message}`,
          { cause: err },
        );
      throw err;
    }
  }
}
