import type { LazyPluginDescriptor } from '../../sdk/spi.ts';

// Listed without their code (the copybook parser, the code pages): each module is imported when a
// plugin of its class is first used. The extension points are exported by sdk/mainframe.ts.
export const mainframePlugins: LazyPluginDescriptor[] = [
  {
    type: 'source',
    className: 'io.tributary.connector.mainframe.MainframeFileSourceConnector',
    aliases: ['MainframeFileSourceConnector', 'MainframeFileSource'],
    version: '1.0.0',
    load: async () => {
      const { MainframeFileSourceConnector } = await import('./source/mainframe-source-connector.js');
      return () => new MainframeFileSourceConnector();
    },
  },
  {
    type: 'converter',
    className: 'io.tributary.connector.mainframe.CopybookConverter',
    aliases: ['CopybookConverter'],
    version: '1.0.0',
    load: async () => {
      const { CopybookConverter } = await import('./converter/copybook-converter.js');
      return () => new CopybookConverter();
    },
  },
  {
    type: 'transformation',
    className: 'io.tributary.connector.mainframe.transforms.MainframeCdcEnvelope',
    aliases: ['MainframeCdcEnvelope'],
    version: '1.0.0',
    load: async () => {
      const { MainframeCdcEnvelope } = await import('./cdc/cdc-envelope.js');
      return () => new MainframeCdcEnvelope();
    },
  },
];
