// An example third-party plugin package. A real package would be written in TypeScript against
// the types in Tributary's sdk/ and compiled to JavaScript; this one is plain ESM so it loads as is.
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
  config() { return config; }
  configure() {}
  version() { return '1.0.0'; }
  apply(record) {
    return typeof record.value === 'string' ? record.newRecord({ value: record.value.toUpperCase() }) : record;
  }
}

export const tributaryPlugins = [
  { type: 'transformation', className: 'com.example.Uppercase$Value', aliases: ['Uppercase'], version: '1.0.0', create: () => new Uppercase() },
];
