// An example third-party plugin package, plain ESM with no dependencies so it loads as is. A real
// package imports the SDK (`tributary/sdk`) and is scaffolded by `tributary new` (docs/plugins.md).
//
// Install: put this directory (or a directory containing it) on the worker's plugin.path, then use
//   "transforms": "upper", "transforms.upper.type": "com.example.Uppercase$Value"

const config = {
  // A minimal ConfigDef-compatible object: no keys.
  keys: new Map(),
  groups: [],
  parse: () => ({}),
  validate: () => [],
};

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
