/**
 * Dependency direction (issue 15), checked by `npm run lint` (depcruise). Layers, lowest first:
 *   runtime base folders (errors, config, data, spi, plugins, log, transport, converters, …)
 *   → runtime/worker (herders, tasks) → runtime/distributed (group, internal topics)
 *   → runtime/rest (depends on the worker's interfaces) → runtime/boot (assembles a worker process)
 *   → sdk (the plugins' only door to the runtime) → connectors, smt (built-in plugins: they import
 *   sdk/ and connectors/shared/ only, as a third-party plugin imports `tributary/sdk`)
 *   → app (the composition root) → cli.
 * A module never imports from a layer above its own, and no import cycle is allowed (type-only
 * imports may form cycles: they vanish at run time). Test files are held only to the rules across
 * top-level folders.
 */
const BASE = '^runtime/(?!worker/|distributed/|rest/|boot/)';
// Tests may assemble layers (a transport test with the worker's topic-creation rules).
const TESTS = '\\.test\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: the modules cannot be understood, tested or loaded one without the other.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'runtime-knows-no-plugin',
      severity: 'error',
      comment:
        'The runtime hosts plugins and entry points but never imports them: built-ins are joined in app/builtins.ts.',
      from: { path: '^runtime/' },
      to: { path: '^(connectors|smt|cli|app|examples|bench)/' },
    },
    {
      name: 'runtime-publishes-sdk-lazily',
      severity: 'error',
      comment:
        "Only the plugin loader touches the SDK, by a dynamic import of sdk/index.ts, to hand plugin packages the worker's own SDK (runtime/plugins/sdk-host.ts).",
      from: { path: '^runtime/' },
      to: { path: '^sdk/', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'runtime-publishes-sdk-entry-only',
      severity: 'error',
      from: { path: '^runtime/' },
      to: { path: '^sdk/', pathNot: '^sdk/index\\.ts$' },
    },
    {
      name: 'sdk-entry-knows-no-plugin',
      severity: 'error',
      comment:
        'The SDK entry the runtime publishes re-exports the runtime only (subpaths such as sdk/s3.ts may re-export a connector).',
      from: { path: '^sdk/index\\.ts$' },
      to: { path: '^(connectors|smt|cli|app)/' },
    },
    {
      name: 'plugins-import-sdk-not-runtime',
      severity: 'error',
      comment:
        'Built-in connectors and transforms reach the runtime only through sdk/ (the public tributary/sdk modules, or sdk/internal/* for facilities they share with the worker), exactly like a third-party plugin.',
      from: { path: '^(connectors|smt)/', pathNot: TESTS },
      to: { path: '^runtime/' },
    },
    {
      name: 'connectors-independent',
      severity: 'error',
      comment:
        'A connector imports no other connector (connectors/shared/ holds what several use, e.g. the database TLS settings the JDBC sink shares with the PostgreSQL and MySQL sources); transforms import no connector.',
      from: { path: '^(?:connectors/([^/]+)/|smt/)', pathNot: TESTS },
      to: { path: '^connectors/', pathNot: '^connectors/($1|shared)/' },
    },
    {
      name: 'sdk-knows-no-plugin',
      severity: 'error',
      comment:
        'The SDK re-exports the runtime; only the documented extension-point subpaths (sdk/s3.ts, sdk/mainframe.ts) re-export a connector.',
      from: { path: '^sdk/', pathNot: `${TESTS}|^sdk/(s3|mainframe)\\.ts$` },
      to: { path: '^(connectors|smt)/' },
    },
    {
      name: 'sdk-internal-for-builtins',
      severity: 'error',
      comment:
        'sdk/internal/* serves the built-in connectors and transforms and is no part of tributary/sdk: the public SDK modules never re-export it, and nothing else imports it.',
      from: { pathNot: `${TESTS}|^(connectors|smt|sdk/internal)/` },
      to: { path: '^sdk/internal/' },
    },
    {
      name: 'runtime-base-below-worker',
      severity: 'error',
      comment: "The runtime's base folders serve the worker, REST server and boot code, never the reverse.",
      from: { path: BASE, pathNot: TESTS },
      to: { path: '^runtime/(worker|distributed|rest|boot)/' },
    },
    {
      name: 'worker-below-rest-and-modes',
      severity: 'error',
      comment: 'The herders and tasks know nothing of the REST server, the distributed group or the boot code.',
      from: { path: '^runtime/worker/', pathNot: TESTS },
      to: { path: '^runtime/(distributed|rest|boot)/' },
    },
    {
      name: 'distributed-below-rest',
      severity: 'error',
      comment: 'The distributed group and internal topics know nothing of the REST server or the boot code.',
      from: { path: '^runtime/distributed/', pathNot: TESTS },
      to: { path: '^runtime/(rest|boot)/' },
    },
    {
      name: 'rest-uses-worker-interfaces',
      severity: 'error',
      comment: "The REST server depends on the worker's interfaces; the boot code hands it a herder.",
      from: { path: '^runtime/rest/', pathNot: TESTS },
      to: { path: '^runtime/(boot|distributed)/' },
    },
    {
      name: 'only-entry-points-use-boot',
      severity: 'error',
      comment: 'A worker process is assembled only by runtime/boot and the composition root (app/).',
      from: { path: '^(runtime|connectors|smt|sdk)/', pathNot: '^runtime/boot/' },
      to: { path: '^runtime/boot/' },
    },
    {
      name: 'plugins-below-entry-points',
      severity: 'error',
      comment: 'Connectors, transforms and the SDK never import the composition root or the CLI.',
      from: { path: '^(connectors|smt|sdk)/', pathNot: '\\.test\\.ts$|^smt/testing\\.ts$' },
      to: { path: '^(cli|app)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.tributary|\\.services|bench/results|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
