import type { PluginDescriptor } from '../../sdk/spi.ts';
import { MainframeFileSourceConnector } from './source/mainframe-source-connector.ts';
import { CopybookConverter } from './converter/copybook-converter.ts';
import { MainframeCdcEnvelope } from './cdc/cdc-envelope.ts';

export { registerEbcdicCodePage } from './codec/text.ts';
export {
  registerRecordHeaderParser,
  type RecordHeaderParser,
  type RecordHeaderParserFactory,
  type RecordMetadata,
} from './framing/record-header-parser.ts';

export const mainframePlugins: PluginDescriptor[] = [
  {
    type: 'source',
    className: 'io.tributary.connector.mainframe.MainframeFileSourceConnector',
    aliases: ['MainframeFileSourceConnector', 'MainframeFileSource'],
    version: '1.0.0',
    create: () => new MainframeFileSourceConnector(),
  },
  {
    type: 'converter',
    className: 'io.tributary.connector.mainframe.CopybookConverter',
    aliases: ['CopybookConverter'],
    version: '1.0.0',
    create: () => new CopybookConverter(),
  },
  {
    type: 'transformation',
    className: 'io.tributary.connector.mainframe.transforms.MainframeCdcEnvelope',
    aliases: ['MainframeCdcEnvelope'],
    version: '1.0.0',
    create: () => new MainframeCdcEnvelope(),
  },
];
