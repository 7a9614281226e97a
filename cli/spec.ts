/**
 * Every `tributary` command and subcommand with its flags: the one table the argument parser,
 * `--help`, shell completion and the help-walker test read.
 */

export interface FlagSpec {
  name: string;
  /** Placeholder of the flag's value; absent for a boolean flag. */
  value?: string;
  help: string;
  /** May be given several times (values collect in a list). */
  repeat?: boolean;
}

export interface CommandSpec {
  /** e.g. ['connectors', 'list']; a group (['connectors']) lists its subcommands. */
  path: string[];
  /** Positional arguments as shown in the usage line. */
  args?: string;
  summary: string;
  flags?: FlagSpec[];
  /** Text after the flags (examples, notes). */
  notes?: string;
  /** The command parses and checks its own flags (the mainframe tools). */
  ownFlags?: boolean;
}

export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'url', value: 'URL', help: 'worker REST API (default: $TRIBUTARY_URL, else http://localhost:8083)' },
  { name: 'user', value: 'USER:PASSWORD', help: 'HTTP basic credentials (else $TRIBUTARY_AUTH)' },
  { name: 'token', value: 'TOKEN', help: 'bearer token' },
  { name: 'output', value: 'json|table', help: 'output of client commands (default json)' },
  { name: 'help', help: 'show help for the command' },
];

const WATCH: FlagSpec[] = [
  { name: 'watch', help: 'redraw every --interval until Ctrl-C, with snapshot progress bars' },
  { name: 'interval', value: 'SECONDS', help: 'refresh interval for --watch (default 2)' },
];

const KAFKA: FlagSpec = {
  name: 'bootstrap-server',
  value: 'HOST:PORT[,…]',
  help: 'talk to Kafka directly instead of a worker',
};
const KAFKA_PROPS: FlagSpec = {
  name: 'command-config',
  value: 'FILE',
  help: 'Kafka client settings (.properties: security.protocol, sasl.*, ssl.*) for --bootstrap-server',
};

const CONVERTERS: FlagSpec[] = [
  {
    name: 'key-converter',
    value: 'json|string|bytes|avro|protobuf|CLASS',
    help: "key converter (default: the worker's key.converter; JsonConverter with --bootstrap-server)",
  },
  {
    name: 'value-converter',
    value: 'json|string|bytes|avro|protobuf|CLASS',
    help: "value converter (default: the worker's value.converter)",
  },
  {
    name: 'property',
    value: 'KEY=VALUE',
    repeat: true,
    help: 'converter setting, e.g. value.converter.schema.registry.url=http://…, value.converter.schemas.enable=false',
  },
];

const name = (what = 'connector'): string => `<${what}>`;

const NEW_PLUGIN_FLAGS: FlagSpec[] = [
  { name: 'dir', value: 'DIR', help: 'where to create the project (default ./<name>; must be empty)' },
  { name: 'namespace', value: 'NAME', help: 'namespace of the class names (default com.example)' },
  { name: 'sdk', value: 'SPEC', help: 'npm spec of the tributary dependency (default file:<this installation>)' },
];

export const COMMANDS: CommandSpec[] = [
  {
    path: ['standalone'],
    args: '<worker.properties|.json> [connector.json|.properties ...]',
    summary: 'run a standalone worker (as connect-standalone)',
  },
  {
    path: ['distributed'],
    args: '<worker.properties|.json>',
    summary: 'run a distributed worker (as connect-distributed; needs bootstrap.servers, group.id, *.storage.topic)',
  },
  {
    path: ['worker'],
    args: '--config <worker.properties|.json>',
    summary: 'run a standalone worker with a config file',
    flags: [{ name: 'config', value: 'FILE', help: 'worker config' }],
  },
  {
    path: ['quickstart'],
    summary: 'run the file -> embedded log -> file example (npm start)',
    flags: [{ name: 'port', value: 'PORT', help: 'REST port (default 8083; 0 picks a free one)' }],
    notes: 'Database quickstarts: tributary quickstart postgres | tributary quickstart mariadb',
  },
  {
    path: ['quickstart', 'postgres'],
    summary: 'capture a sample PostgreSQL table into the embedded log and show its change events',
    flags: [
      {
        name: 'db-url',
        value: 'postgres://USER:PASS@HOST:PORT/DB',
        help: 'the database (default: $TRIBUTARY_PG_URL, else postgres://postgres:postgres@127.0.0.1:5432/postgres)',
      },
      { name: 'data-dir', value: 'DIR', help: 'worker data directory (default .tributary/quickstart-postgres)' },
      { name: 'port', value: 'PORT', help: 'REST port (default 8083; 0 picks one)' },
      { name: 'exit', help: 'stop once the events are shown (default: keep streaming until Ctrl-C)' },
    ],
    notes: 'Needs wal_level=logical and a user with REPLICATION (see connectors/postgres/README.md).',
  },
  {
    path: ['quickstart', 'mariadb'],
    summary: 'capture a sample MariaDB/MySQL table into the embedded log and show its change events',
    flags: [
      {
        name: 'db-url',
        value: 'mysql://USER:PASS@HOST:PORT/',
        help: 'the server (default: $TRIBUTARY_MYSQL_URL, else mysql://root@127.0.0.1:3306/)',
      },
      { name: 'data-dir', value: 'DIR', help: 'worker data directory (default .tributary/quickstart-mariadb)' },
      { name: 'port', value: 'PORT', help: 'REST port (default 8083; 0 picks one)' },
      { name: 'exit', help: 'stop once the events are shown (default: keep streaming until Ctrl-C)' },
    ],
    notes:
      'Needs log_bin, binlog_format=ROW, binlog_row_image=FULL and a user with REPLICATION SLAVE, REPLICATION CLIENT, SELECT (see connectors/mysql/README.md).',
  },

  { path: ['connectors'], summary: 'manage connectors of a running worker' },
  {
    path: ['connectors', 'list'],
    summary: 'connector names',
    flags: [
      { name: 'status', help: 'with states' },
      { name: 'info', help: 'with configs and tasks' },
    ],
  },
  { path: ['connectors', 'get'], args: name(), summary: 'connector info' },
  { path: ['connectors', 'config'], args: name(), summary: 'connector config (secrets hidden)' },
  {
    path: ['connectors', 'status'],
    args: name(),
    summary: 'connector and task states (and snapshot progress)',
    flags: WATCH,
  },
  { path: ['connectors', 'tasks'], args: name(), summary: 'task configs' },
  { path: ['connectors', 'topics'], args: name(), summary: 'topics the connector used' },
  {
    path: ['connectors', 'create'],
    args: '<connector.json|.properties>',
    summary: 'create a connector',
    flags: [{ name: 'initial-state', value: 'RUNNING|PAUSED|STOPPED', help: 'state to create it in' }],
  },
  {
    path: ['connectors', 'update'],
    args: '<connector.json|.properties>',
    summary: 'create or replace a connector config',
  },
  { path: ['connectors', 'delete'], args: name(), summary: 'delete a connector' },
  { path: ['connectors', 'pause'], args: name(), summary: 'pause a connector' },
  { path: ['connectors', 'resume'], args: name(), summary: 'resume a paused or stopped connector' },
  { path: ['connectors', 'stop'], args: name(), summary: 'stop a connector (KIP-875)' },
  {
    path: ['connectors', 'restart'],
    args: name(),
    summary: 'restart a connector',
    flags: [
      { name: 'include-tasks', help: 'restart its tasks too' },
      { name: 'only-failed', help: 'only failed instances' },
    ],
  },

  {
    path: ['plugins'],
    summary: 'installed connector plugins',
    flags: [{ name: 'all', help: 'converters, transforms and predicates too' }],
  },

  { path: ['offsets'], summary: 'read, reset, alter and import connector offsets' },
  { path: ['offsets', 'get'], args: name(), summary: 'connector offsets' },
  {
    path: ['offsets', 'reset'],
    args: name(),
    summary: 'reset offsets of a stopped connector; with a target, replay a sink or MySQL source from a point in time',
    flags: [
      { name: 'to-datetime', value: 'ISO-8601', help: 'replay from this time' },
      { name: 'to-earliest', help: 'sink: replay from the start' },
      { name: 'to-latest', help: 'sink: skip to the end' },
      { name: 'topic', value: 'T1,T2', help: 'only these topics' },
    ],
  },
  {
    path: ['offsets', 'alter'],
    args: `${name()} <offsets.json>`,
    summary: 'alter offsets of a stopped connector (body {"offsets":[{"partition":{…},"offset":{…}}]})',
  },
  {
    path: ['offsets', 'import'],
    summary: "migrate source offsets from a Kafka Connect cluster's offset topic (see docs/migrating.md)",
    flags: [
      { ...KAFKA, help: "the Kafka Connect cluster's brokers" },
      { name: 'topic', value: 'TOPIC', help: 'its offset.storage.topic (default connect-offsets)' },
      { name: 'connector', value: 'A,B', help: 'only these connectors' },
      { name: 'dry-run', help: 'print the offsets instead of writing them' },
    ],
  },

  { path: ['topics'], summary: 'topics of the embedded log (through the worker) or of Kafka (--bootstrap-server)' },
  { path: ['topics', 'list'], summary: 'topics and partition counts', flags: [KAFKA, KAFKA_PROPS] },
  {
    path: ['topics', 'describe'],
    args: '<topic>',
    summary: 'partitions with start and end offsets, settings',
    flags: [KAFKA, KAFKA_PROPS],
  },
  {
    path: ['topics', 'create'],
    args: '<topic>',
    summary: 'create a topic',
    flags: [
      { name: 'partitions', value: 'N', help: 'partition count (default 1)' },
      {
        name: 'config',
        value: 'KEY=VALUE',
        repeat: true,
        help: 'topic setting, e.g. retention.ms=-1, cleanup.policy=compact',
      },
      KAFKA,
      KAFKA_PROPS,
    ],
  },
  {
    path: ['topics', 'delete'],
    args: '<topic>',
    summary: 'delete a topic and its records',
    flags: [KAFKA, KAFKA_PROPS],
  },
  {
    path: ['consume'],
    args: '<topic>',
    summary: "print records of a topic, decoded with the worker's converters (as kafka-console-consumer)",
    flags: [
      { name: 'from-beginning', help: 'start at the first record (the default without --follow)' },
      { name: 'offset', value: 'N', help: 'start at this offset (in every partition read)' },
      { name: 'from-datetime', value: 'ISO-8601|EPOCH-MS', help: 'start at the first record at or after this time' },
      { name: 'follow', help: 'keep waiting for new records (starts at the end unless told otherwise)' },
      { name: 'partition', value: 'P', help: 'only this partition' },
      { name: 'max-messages', value: 'N', help: 'stop after N records' },
      {
        name: 'format',
        value: 'json|pretty|raw',
        help: 'json: one line per record with key, value, offset, …; pretty: indented; raw: the value text only (default json)',
      },
      ...CONVERTERS,
      KAFKA,
      KAFKA_PROPS,
    ],
    notes: 'Without --follow, reads to the current end and exits.',
  },
  {
    path: ['produce'],
    args: '<topic>',
    summary: 'write records from stdin, one per line (for tests and trials)',
    flags: [
      { name: 'key-separator', value: 'SEP', help: 'each line is KEY<SEP>VALUE (default: no key)' },
      { name: 'partition', value: 'P', help: 'write to this partition (default: by key)' },
      KAFKA,
      KAFKA_PROPS,
    ],
  },

  { path: ['log'], summary: 'check and repair the embedded log (worker stopped)' },
  {
    path: ['log', 'verify'],
    summary: 'check the record batch checksums',
    flags: [
      { name: 'data-dir', value: 'DIR', help: 'the store' },
      { name: 'config', value: 'worker.properties', help: 'or the worker config naming it' },
      { name: 'topic', value: 'TOPIC', help: 'only this topic' },
    ],
  },
  {
    path: ['log', 'recover'],
    summary: 'truncate a damaged partition at its last valid batch',
    flags: [
      { name: 'data-dir', value: 'DIR', help: 'the store' },
      { name: 'config', value: 'worker.properties', help: 'or the worker config naming it' },
      { name: 'topic', value: 'TOPIC', help: 'the topic' },
      { name: 'partition', value: 'P', help: 'the partition' },
      { name: 'yes', help: 'really truncate' },
    ],
  },
  { path: ['binlog'], summary: 'MySQL/MariaDB binlog tools' },
  {
    path: ['binlog', 'decode'],
    args: '<binlog file>',
    summary: 'print every event of a binlog file as JSON lines',
    flags: [
      {
        name: 'schema',
        value: 'tables.json',
        help: '{"db.table":[{"name":"id","unsigned":false}, …]} names row columns when the binlog has no column metadata',
      },
    ],
  },
  { path: ['mainframe'], summary: 'COBOL copybook tools' },
  {
    path: ['mainframe', 'decode'],
    summary: 'decode EBCDIC/ASCII records by a COBOL copybook to JSON lines',
    ownFlags: true,
    notes:
      'Flags: --copybook <file> --input <file> [--encoding cp037|ascii] [--record-format F|FB|V|VB|D|T] [--record-length N] [--segment-field NAME --segment VALUE=GROUP ...] [--copybook-format fixed|free|auto] [--option <key>=<value> ...]',
  },
  {
    path: ['mainframe', 'layout'],
    summary: "print a copybook's computed record layout",
    ownFlags: true,
    notes: 'Flags: --copybook <file> [--copybook-format fixed|free|auto]',
  },
  {
    path: ['new'],
    summary:
      'create a plugin project: TypeScript, the SDK, a passing test with the test kit, a README (see docs/plugins.md)',
  },
  ...(['connector', 'sink', 'transform', 'converter'] as const).map((kind): CommandSpec => ({
    path: ['new', kind],
    args: '<name>',
    summary: {
      connector: 'a source connector (PollingSourceTask)',
      sink: 'a sink connector (BatchingSinkTask)',
      transform: 'a $Key/$Value transform (FieldPathTransformation)',
      converter: 'a converter',
    }[kind],
    flags: NEW_PLUGIN_FLAGS,
  })),
  { path: ['completion'], summary: 'shell completion script' },
  { path: ['completion', 'bash'], summary: 'bash completion: eval "$(tributary completion bash)"' },
  { path: ['completion', 'zsh'], summary: 'zsh completion: eval "$(tributary completion zsh)"' },
];

export function findCommand(path: string[]): CommandSpec | undefined {
  return COMMANDS.find((c) => c.path.length === path.length && c.path.every((p, i) => p === path[i]));
}

export function subcommandsOf(path: string[]): CommandSpec[] {
  return COMMANDS.filter((c) => c.path.length === path.length + 1 && path.every((p, i) => c.path[i] === p));
}

const flagLine = (f: FlagSpec) => `  --${f.name}${f.value ? ` <${f.value}>` : ''}${f.repeat ? ' ...' : ''}`;

function flagTable(flags: FlagSpec[]): string {
  const lines = flags.map((f) => [flagLine(f), f.help] as const);
  const width = Math.min(48, Math.max(...lines.map(([l]) => l.length)) + 2);
  return lines
    .map(([l, h]) => (l.length + 2 > width ? `${l}\n${' '.repeat(width)}${h}` : `${l.padEnd(width)}${h}`))
    .join('\n');
}

/** The help text of a command (or group). */
export function helpText(spec: CommandSpec): string {
  const subs = subcommandsOf(spec.path);
  const out = [
    `Usage: tributary ${spec.path.join(' ')}${subs.length ? ' <subcommand>' : ''}${spec.args ? ` ${spec.args}` : ''}${spec.flags?.length || spec.ownFlags ? ' [flags]' : ''}`,
    '',
    spec.summary,
  ];
  if (subs.length) {
    const width = Math.max(...subs.map((s) => s.path[s.path.length - 1].length + (s.args ? s.args.length + 1 : 0))) + 4;
    out.push(
      '',
      'Subcommands:',
      ...subs.map((s) => `  ${`${s.path[s.path.length - 1]}${s.args ? ` ${s.args}` : ''}`.padEnd(width)}${s.summary}`),
    );
  }
  if (spec.flags?.length) out.push('', 'Flags:', flagTable(spec.flags));
  if (spec.notes) out.push('', spec.notes);
  out.push('', 'Global flags (anywhere on the line):', flagTable(GLOBAL_FLAGS));
  if (subs.length) out.push('', `Run tributary ${spec.path.join(' ')} <subcommand> --help for its flags.`);
  return out.join('\n') + '\n';
}

/** `tributary --help`. */
export function overviewText(): string {
  const top = COMMANDS.filter((c) => c.path.length === 1);
  const width = Math.max(...top.map((c) => c.path[0].length)) + 4;
  return [
    'Usage: tributary <command> [<subcommand>] [args] [flags]',
    '',
    'Commands:',
    ...top.map(
      (c) =>
        `  ${c.path[0].padEnd(width)}${c.summary}${
          subcommandsOf(c.path).length
            ? ` (${subcommandsOf(c.path)
                .map((s) => s.path[1])
                .join(', ')})`
            : ''
        }`,
    ),
    '',
    'Global flags (anywhere on the line):',
    flagTable(GLOBAL_FLAGS),
    '',
    "Run tributary <command> --help for a command's arguments and flags. Reference: docs/cli.md",
    '',
  ].join('\n');
}
