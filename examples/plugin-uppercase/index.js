// An example third-party plugin package: plain ESM JavaScript that imports the SDK as every plugin
// does (`tributary/sdk`, resolved from this package's own node_modules: `npm install` here links
// this repository's package). `tributary new transform <name>` scaffolds the TypeScript version
// with tests (docs/plugins.md).
//
// Install: `npm install` in this directory, put it (or a directory containing it) on the worker's
// plugin.path, then use
//   "transforms": "upper", "transforms.upper.type": "com.example.Uppercase$Value"
import { ConfigDef } from 'tributary/sdk';

// No settings: an empty definition still validates (unknown keys are left alone, as Kafka Connect does).
const config = new ConfigDef();

class Uppercase {
  config() {
    return config;
  }
  configure() {}
  version() {
    return '1.0.0';
  }
  apply(record) {
    return typeof record.value === 'string' ? record.newRecord({ value: record.value.toUpperCase() }) : record;
  }
}

export const tributaryPlugins = [
  {
    type: 'transformation',
    className: 'com.example.Uppercase$Value',
    aliases: ['Uppercase'],
    version: '1.0.0',
    create: () => new Uppercase(),
  },
];
