/**
 * The files `tributary new` writes, per plugin kind: a TypeScript package with the SDK as a
 * dependency, the plugin, a test that runs it with the test kit (node:test), a README and a
 * manifest (`package.json` "tributary"). Each kind's code is the smallest useful example of its
 * SDK helper, meant to be replaced by the author's logic.
 */
export type PluginKind = 'connector' | 'sink' | 'transform' | 'converter';

export interface TemplateVars {
  /** npm package name, e.g. my-source. */
  name: string;
  /** PascalCase base of the class names, e.g. MySource. */
  pascal: string;
  /** Java-style namespace of the class names, e.g. com.example. */
  namespace: string;
  /** The SDK version range for the manifest, e.g. ^0.1.0. */
  sdkRange: string;
  /** How npm installs the SDK, e.g. file:/opt/tributary or ^0.1.0. */
  sdkSpec: string;
}

interface KindTemplate {
  /** What the package provides, for the manifest and the README. */
  classes: (v: TemplateVars) => Array<{ kind: string; class: string; aliases: string[] }>;
  description: string;
  /** src/plugin.ts */
  plugin: (v: TemplateVars) => string;
  /** test/plugin.test.ts */
  test: (v: TemplateVars) => string;
  /** A README section: how to use it in a connector config. */
  usage: (v: TemplateVars) => string;
}

const VERSION_TS = `// The version listed by GET /connector-plugins: this package's version.
import { createRequire } from 'node:module';

export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
`;

const SOURCE: KindTemplate = {
  description: 'a source connector',
  classes: (v) => [
    { kind: 'source', class: `${v.namespace}.${v.pascal}SourceConnector`, aliases: [`${v.pascal}Source`] },
  ],
  plugin: (
    v,
  ) => `import { ConfigDef, POLLING_SOURCE_CONFIG, PollingSourceTask, SourceConnectorBase, SourceRecord, Validators, type SourceTask } from 'tributary/sdk';
import { VERSION } from './version.js';

export const CONFIG = new ConfigDef()
  .define({ name: 'topic', type: 'STRING', importance: 'HIGH', validator: Validators.nonEmptyString(), documentation: 'Topic the records are written to.' })
  .define({ name: 'count', type: 'LONG', defaultValue: 100, validator: Validators.atLeast(0), importance: 'MEDIUM', documentation: 'How many records to emit in all.' })
  .define({ name: 'batch.size', type: 'INT', defaultValue: 10, validator: Validators.atLeast(1), importance: 'LOW', documentation: 'Records per poll at most.' })
  .merge(POLLING_SOURCE_CONFIG);

/** The connector: validates its config (CONFIG) and runs one task with it. */
export class ${v.pascal}SourceConnector extends SourceConnectorBase {
  version(): string {
    return VERSION;
  }
  config(): ConfigDef {
    return CONFIG;
  }
  createTask(): SourceTask {
    return new ${v.pascal}SourceTask();
  }
}

/** The source partition of this example: one stream; a real connector has one per table, file, shard, … */
export const PARTITION = { stream: '${v.name}' };

/**
 * Emits records 1..count, each with its position as the source offset, and resumes after the last
 * committed position on restart. Replace fetch() with reads from your system.
 */
export class ${v.pascal}SourceTask extends PollingSourceTask {
  private position = 0;

  version(): string {
    return VERSION;
  }

  protected override onStart(): void {
    const committed = this.committedOffset(PARTITION);
    this.position = typeof committed?.position === 'number' ? committed.position : 0;
  }

  protected async fetch(): Promise<SourceRecord[]> {
    const count = Number(this.props.count ?? 100);
    const batch = Number(this.props['batch.size'] ?? 10);
    const records: SourceRecord[] = [];
    while (this.position < count && records.length < batch) {
      this.position++;
      records.push(new SourceRecord({
        topic: this.props.topic,
        key: String(this.position),
        value: { position: this.position, at: this.clock.now() },
        sourcePartition: PARTITION,
        sourceOffset: { position: this.position },
      }));
    }
    return records;
  }
}

export const plugins = [
  { type: 'source' as const, className: '${v.namespace}.${v.pascal}SourceConnector', aliases: ['${v.pascal}Source'], version: VERSION, create: () => new ${v.pascal}SourceConnector() },
];
`,
  test: (v) => `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceTaskHarness } from 'tributary/sdk/testing';
import { ${v.pascal}SourceConnector, ${v.pascal}SourceTask, PARTITION } from '../src/plugin.js';

test('emits records with offsets and resumes from the committed offset after a crash', async () => {
  const h = await SourceTaskHarness.start({ task: () => new ${v.pascal}SourceTask(), config: { topic: 'numbers', count: '5', 'batch.size': '2' }, schemas: false });
  try {
    assert.deepEqual((await h.poll()).map((r) => r.key), ['1', '2']);
    await h.commit();
    assert.deepEqual(h.committedOffset(PARTITION), { position: 2 });
    await h.poll();
    await h.restart({ crash: true });
    assert.deepEqual((await h.pollUntil(3)).map((r) => r.key), ['3', '4', '5']);
    assert.deepEqual(await h.poll(), []);
    assert.deepEqual(h.topic('numbers').map((r) => r.key), ['1', '2', '3', '4', '3', '4', '5']);
  } finally {
    await h.close();
  }
});

test('validation names a missing topic', () => {
  const problems = new ${v.pascal}SourceConnector().config().validate({}).filter((c) => c.errorMessages.length > 0);
  assert.deepEqual(problems.map((c) => c.name), ['topic']);
});
`,
  usage: (v) => `\`\`\`json
{ "name": "${v.name}", "config": { "connector.class": "${v.namespace}.${v.pascal}SourceConnector", "topic": "numbers", "count": "100" } }
\`\`\``,
};

const SINK: KindTemplate = {
  description: 'a sink connector',
  classes: (v) => [{ kind: 'sink', class: `${v.namespace}.${v.pascal}SinkConnector`, aliases: [`${v.pascal}Sink`] }],
  plugin: (v) => `import { appendFile } from 'node:fs/promises';
import { BATCHING_SINK_CONFIG, BatchingSinkTask, ConfigDef, SinkConnectorBase, Validators, type SinkRecord, type SinkTask } from 'tributary/sdk';
import { VERSION } from './version.js';

export const CONFIG = new ConfigDef()
  .define({ name: 'file', type: 'STRING', importance: 'HIGH', validator: Validators.nonEmptyString(), documentation: 'File the records are appended to, one JSON line each.' })
  .merge(BATCHING_SINK_CONFIG);

export class ${v.pascal}SinkConnector extends SinkConnectorBase {
  version(): string {
    return VERSION;
  }
  config(): ConfigDef {
    return CONFIG;
  }
  createTask(): SinkTask {
    return new ${v.pascal}SinkTask();
  }
}

/** Appends each batch to a file as JSON lines. Replace writeBatch() with writes to your system. */
export class ${v.pascal}SinkTask extends BatchingSinkTask {
  version(): string {
    return VERSION;
  }

  protected async writeBatch(records: SinkRecord[]): Promise<void> {
    const lines = records.map((r) => JSON.stringify({ topic: r.topic, partition: r.kafkaPartition, offset: r.kafkaOffset, key: r.key, value: r.value }) + '\\n');
    await appendFile(this.props.file, lines.join(''));
  }
}

export const plugins = [
  { type: 'sink' as const, className: '${v.namespace}.${v.pascal}SinkConnector', aliases: ['${v.pascal}Sink'], version: VERSION, create: () => new ${v.pascal}SinkConnector() },
];
`,
  test: (v) => `import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SinkTaskHarness } from 'tributary/sdk/testing';
import { ${v.pascal}SinkTask } from '../src/plugin.js';

test('writes the records in batches and commits their offsets once flushed', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), '${v.name}-')), 'out.jsonl');
  const h = await SinkTaskHarness.start({ task: () => new ${v.pascal}SinkTask(), config: { topics: 'orders', file, 'batch.size': '2' } });
  try {
    await h.send('orders', [{ key: 'a', value: { n: 1 } }, { key: 'b', value: { n: 2 } }, { key: 'c', value: { n: 3 } }]);
    await h.deliver();
    assert.equal(fs.readFileSync(file, 'utf8').trim().split('\\n').length, 2);
    await h.commit();
    const lines = fs.readFileSync(file, 'utf8').trim().split('\\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => [l.key, l.value.n, l.offset]), [['a', 1, 0], ['b', 2, 1], ['c', 3, 2]]);
    assert.deepEqual(h.committedOffsets(), [{ topic: 'orders', partition: 0, offset: 3 }]);
  } finally {
    await h.close();
  }
});
`,
  usage: (v) => `\`\`\`json
{ "name": "${v.name}", "config": { "connector.class": "${v.namespace}.${v.pascal}SinkConnector", "topics": "orders", "file": "/tmp/orders.jsonl" } }
\`\`\``,
};

const TRANSFORM: KindTemplate = {
  description: 'a single message transform ($Key and $Value)',
  classes: (v) =>
    ['Key', 'Value'].map((s) => ({
      kind: 'transformation',
      class: `${v.namespace}.${v.pascal}$${s}`,
      aliases: [`${v.pascal}$${s}`],
    })),
  plugin: (
    v,
  ) => `import { ConfigDef, FieldPathTransformation, keyValueTransformations, type Schema } from 'tributary/sdk';
import { VERSION } from './version.js';

/**
 * Upper-cases a string field (\`field\`: a dotted path; empty for the whole key or value) and
 * appends \`suffix\`. Replace transformField() with your logic; override transformFieldSchema()
 * when the field changes type.
 */
export class ${v.pascal} extends FieldPathTransformation {
  private suffix = '';

  protected override ownConfig(): ConfigDef {
    return new ConfigDef().define({ name: 'suffix', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'Text appended to the value.' });
  }

  protected override onConfigure(values: Readonly<Record<string, unknown>>): void {
    this.suffix = values.suffix as string;
  }

  protected transformField(value: unknown, _schema: Schema | null): unknown {
    return typeof value === 'string' ? value.toUpperCase() + this.suffix : value;
  }
}

export const plugins = keyValueTransformations('${v.namespace}.${v.pascal}', VERSION, (part) => new ${v.pascal}(part), ['${v.pascal}']);
`,
  test: (v) => `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyTransforms } from 'tributary/sdk/testing';
import { plugins } from '../src/plugin.js';

test('upper-cases the configured field of the value, and the whole key', () => {
  const config = {
    transforms: 'v,k',
    'transforms.v.type': '${v.namespace}.${v.pascal}$Value',
    'transforms.v.field': 'customer.name',
    'transforms.v.suffix': '!',
    'transforms.k.type': '${v.pascal}$Key',
  };
  assert.deepEqual(applyTransforms({ plugins, config }, [{ topic: 'orders', key: 'k1', value: { customer: { name: 'ada' }, total: 3 } }]), [
    { topic: 'orders', key: 'K1', value: { customer: { name: 'ADA!' }, total: 3 } },
  ]);
});

test('keeps records without the field', () => {
  const config = { transforms: 'v', 'transforms.v.type': '${v.pascal}$Value', 'transforms.v.field': 'customer.name' };
  assert.deepEqual(applyTransforms({ plugins, config }, [{ value: { other: 1 } }]), [{ topic: 'test', key: null, value: { other: 1 } }]);
});
`,
  usage: (v) => `\`\`\`json
"transforms": "up", "transforms.up.type": "${v.namespace}.${v.pascal}$Value", "transforms.up.field": "after.name"
\`\`\``,
};

const CONVERTER: KindTemplate = {
  description: 'a converter',
  classes: (v) => [
    { kind: 'converter', class: `${v.namespace}.${v.pascal}Converter`, aliases: [`${v.pascal}Converter`] },
  ],
  plugin: (
    v,
  ) => `import { ConfigDef, DataException, type Converter, type Schema, type SchemaAndValue } from 'tributary/sdk';
import { VERSION } from './version.js';

export const CONFIG = new ConfigDef()
  .define({ name: 'prefix', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'Text written before each serialized value.' });

/**
 * Schemaless JSON text behind an optional prefix. Replace fromConnectData()/toConnectData() with
 * your format; return promises when the format needs remote state (e.g. a schema registry).
 */
export class ${v.pascal}Converter implements Converter {
  private prefix = '';

  config(): ConfigDef {
    return CONFIG;
  }

  version(): string {
    return VERSION;
  }

  configure(configs: Record<string, string>, _isKey: boolean): void {
    this.prefix = CONFIG.parse(configs).prefix as string;
  }

  fromConnectData(_topic: string, _schema: Schema | null, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    return Buffer.from(this.prefix + JSON.stringify(value));
  }

  toConnectData(topic: string, value: Buffer | null): SchemaAndValue {
    if (value === null) return { schema: null, value: null };
    const text = value.toString('utf8');
    if (!text.startsWith(this.prefix)) throw new DataException(\`Record of \${topic} does not start with the prefix "\${this.prefix}"\`);
    return { schema: null, value: JSON.parse(text.slice(this.prefix.length)) as unknown };
  }
}

export const plugins = [
  { type: 'converter' as const, className: '${v.namespace}.${v.pascal}Converter', aliases: ['${v.pascal}Converter'], version: VERSION, create: () => new ${v.pascal}Converter() },
];
`,
  test: (v) => `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataException } from 'tributary/sdk';
import { ${v.pascal}Converter } from '../src/plugin.js';

test('round-trips values behind the prefix and rejects foreign bytes', () => {
  const c = new ${v.pascal}Converter();
  c.configure({ prefix: 'v1:' }, false);
  const bytes = c.fromConnectData('t', null, { id: 1, tags: ['a'] });
  assert.equal(bytes?.toString(), 'v1:{"id":1,"tags":["a"]}');
  assert.deepEqual(c.toConnectData('t', bytes), { schema: null, value: { id: 1, tags: ['a'] } });
  assert.throws(() => c.toConnectData('t', Buffer.from('{}')), DataException);
});
`,
  usage: (v) => `\`\`\`json
"value.converter": "${v.namespace}.${v.pascal}Converter", "value.converter.prefix": "v1:"
\`\`\``,
};

export const TEMPLATES: Record<PluginKind, KindTemplate> = {
  connector: SOURCE,
  sink: SINK,
  transform: TRANSFORM,
  converter: CONVERTER,
};

/** Every file of a new plugin project, by path relative to its directory. */
export function projectFiles(kind: PluginKind, v: TemplateVars): Record<string, string> {
  const t = TEMPLATES[kind];
  const classes = t.classes(v);
  const pkg = {
    name: v.name,
    version: '0.1.0',
    description: `Tributary plugin: ${t.description}`,
    type: 'module',
    main: 'dist/src/index.js',
    files: ['dist/src'],
    scripts: {
      build: 'tsc -p tsconfig.json',
      test: 'npm run build && node --test dist/test/*.test.js',
    },
    tributary: { sdk: v.sdkRange, plugins: 'dist/src/index.js', classes },
    dependencies: { tributary: v.sdkSpec },
    devDependencies: { '@types/node': '^20.19.0', typescript: '~5.9.0' },
  };
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      outDir: 'dist',
      rootDir: '.',
      skipLibCheck: true,
      types: ['node'],
      useDefineForClassFields: false,
    },
    include: ['src', 'test'],
  };
  return {
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    '.gitignore': 'node_modules/\ndist/\n',
    'src/version.ts': VERSION_TS,
    'src/plugin.ts': t.plugin(v),
    'src/index.ts': `// The module the worker loads (package.json "tributary.plugins"): the plugins of this package.\nimport type { PluginDescriptor } from 'tributary/sdk';\nimport { plugins } from './plugin.js';\n\nexport const tributaryPlugins: PluginDescriptor[] = plugins;\n`,
    [`test/${v.name}.test.ts`]: t.test(v),
    'README.md': readme(
      kind,
      v,
      classes.map((c) => c.class),
    ),
  };
}

function readme(kind: PluginKind, v: TemplateVars, classes: string[]): string {
  return `# ${v.name}

A Tributary plugin: ${TEMPLATES[kind].description} (${classes.join(', ')}), written against the Tributary SDK (\`tributary/sdk\`, SDK ${v.sdkRange}).

## Develop

\`\`\`sh
npm install
npm test        # compiles, then runs test/*.test.ts with the SDK test kit (tributary/sdk/testing)
\`\`\`

- \`src/plugin.ts\`: the plugin; \`src/index.ts\` exports \`tributaryPlugins\`, the list the worker loads.
- \`package.json\` \`"tributary"\`: the manifest — the SDK range this package was built for (a worker outside it refuses to load it), the module to load and the classes it provides.
- The SDK guide: docs/plugins.md in the Tributary repository; the API: docs/sdk-api.md.

## Install in a worker

\`\`\`sh
npm run build
\`\`\`

Put this directory (or a directory of plugin packages containing it) on the worker's \`plugin.path\`,
restart the worker, and check it is listed with its version: \`tributary plugins --all\` or
\`GET /connector-plugins?connectorsOnly=false\`. The package loads with its own \`node_modules\`.

## Use

${TEMPLATES[kind].usage(v)}
`;
}
