/**
 * The keys every connector config has (Kafka Connect's ConnectorConfig, SinkConnectorConfig and
 * SourceConnectorConfig), merged with the connector's own ConfigDef for validation.
 */
import { ConfigDef, Validators } from '../config/config-def.ts';

const COMMON = 'Common';
const TRANSFORMS = 'Transforms';
const PREDICATES = 'Predicates';
const ERRORS = 'Error Handling';

export function commonConnectorConfigDef(): ConfigDef {
  return new ConfigDef()
    .define({
      name: 'name',
      type: 'STRING',
      importance: 'HIGH',
      documentation: 'Globally unique name to use for this connector.',
      group: COMMON,
      orderInGroup: 1,
      width: 'MEDIUM',
      displayName: 'Connector name',
      validator: Validators.nonEmptyStringWithoutControlChars(),
    })
    .define({
      name: 'connector.class',
      type: 'STRING',
      importance: 'HIGH',
      documentation:
        'Name or alias of the class for this connector, e.g. org.apache.kafka.connect.file.FileStreamSinkConnector or FileStreamSink.',
      group: COMMON,
      orderInGroup: 2,
      width: 'LONG',
      displayName: 'Connector class',
    })
    .define({
      name: 'tasks.max',
      type: 'INT',
      defaultValue: 1,
      importance: 'HIGH',
      documentation: 'Maximum number of tasks to use for this connector.',
      group: COMMON,
      orderInGroup: 3,
      width: 'SHORT',
      displayName: 'Tasks max',
      validator: Validators.atLeast(1),
    })
    .define({
      name: 'tasks.max.enforce',
      type: 'BOOLEAN',
      defaultValue: true,
      importance: 'LOW',
      documentation: '(Deprecated) Whether to enforce that the tasks.max property is respected by the connector.',
      group: COMMON,
      orderInGroup: 4,
    })
    .define({
      name: 'key.converter',
      type: 'CLASS',
      defaultValue: null,
      importance: 'LOW',
      documentation:
        'Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. Defaults to the worker setting.',
      group: COMMON,
      orderInGroup: 5,
      displayName: 'Key converter class',
    })
    .define({
      name: 'value.converter',
      type: 'CLASS',
      defaultValue: null,
      importance: 'LOW',
      documentation: 'Converter class for record values. Defaults to the worker setting.',
      group: COMMON,
      orderInGroup: 6,
      displayName: 'Value converter class',
    })
    .define({
      name: 'header.converter',
      type: 'CLASS',
      defaultValue: null,
      importance: 'LOW',
      documentation:
        'HeaderConverter class for record headers. Defaults to the worker setting (SimpleHeaderConverter).',
      group: COMMON,
      orderInGroup: 7,
      displayName: 'Header converter class',
    })
    .define({
      name: 'config.action.reload',
      type: 'STRING',
      defaultValue: 'restart',
      importance: 'LOW',
      documentation: 'The action to take when a config provider reports a changed value: none or restart.',
      group: COMMON,
      orderInGroup: 8,
      validator: Validators.in('none', 'restart'),
    })
    .define({
      name: 'transforms',
      type: 'LIST',
      defaultValue: '',
      importance: 'LOW',
      documentation: 'Aliases for the transformations to be applied to records.',
      group: TRANSFORMS,
      orderInGroup: 1,
      displayName: 'Transforms',
    })
    .define({
      name: 'predicates',
      type: 'LIST',
      defaultValue: '',
      importance: 'LOW',
      documentation: 'Aliases for the predicates used by transformations.',
      group: PREDICATES,
      orderInGroup: 1,
      displayName: 'Predicates',
    })
    .define({
      name: 'errors.retry.timeout',
      type: 'LONG',
      defaultValue: 0,
      importance: 'MEDIUM',
      documentation:
        'The maximum duration in milliseconds that a failed operation will be reattempted. The default is 0, which means no retries will be attempted. Use -1 for infinite retries.',
      group: ERRORS,
      orderInGroup: 1,
    })
    .define({
      name: 'errors.retry.delay.max.ms',
      type: 'LONG',
      defaultValue: 60000,
      importance: 'MEDIUM',
      documentation: 'The maximum duration in milliseconds between consecutive retry attempts.',
      group: ERRORS,
      orderInGroup: 2,
    })
    .define({
      name: 'errors.tolerance',
      type: 'STRING',
      defaultValue: 'none',
      importance: 'MEDIUM',
      documentation:
        'Behavior for tolerating errors during connector operation. none (default): any error fails the task; all: problematic records are skipped.',
      group: ERRORS,
      orderInGroup: 3,
      validator: Validators.in('none', 'all'),
    })
    .define({
      name: 'errors.log.enable',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'MEDIUM',
      documentation:
        'If true, write each error and the details of the failed operation and problematic record to the log.',
      group: ERRORS,
      orderInGroup: 4,
    })
    .define({
      name: 'errors.log.include.messages',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'MEDIUM',
      documentation: 'Whether to include in the log the Connect record that resulted in a failure.',
      group: ERRORS,
      orderInGroup: 5,
    });
}

export function sinkConnectorConfigDef(): ConfigDef {
  return commonConnectorConfigDef()
    .define({
      name: 'topics',
      type: 'LIST',
      defaultValue: '',
      importance: 'HIGH',
      documentation: 'List of topics to consume, separated by commas.',
      group: COMMON,
      orderInGroup: 4,
      displayName: 'Topics',
    })
    .define({
      name: 'topics.regex',
      type: 'STRING',
      defaultValue: '',
      importance: 'HIGH',
      documentation:
        'Regular expression giving topics to consume. Only one of topics or topics.regex should be specified.',
      group: COMMON,
      orderInGroup: 4,
      displayName: 'Topics regex',
    })
    .define({
      name: 'tributary.start.timestamp',
      type: 'STRING',
      defaultValue: '',
      importance: 'MEDIUM',
      documentation:
        'Where a new sink starts reading partitions that have no committed offsets: an ISO-8601 date-time or epoch milliseconds (the first record at or after it), or earliest (the default) or latest.',
      group: COMMON,
      orderInGroup: 5,
      displayName: 'Start timestamp',
    })
    .define({
      name: 'errors.deadletterqueue.topic.name',
      type: 'STRING',
      defaultValue: '',
      importance: 'MEDIUM',
      documentation:
        'The name of the topic to be used as the dead letter queue (DLQ) for messages that result in an error when processed by this sink connector.',
      group: ERRORS,
      orderInGroup: 6,
    })
    .define({
      name: 'errors.deadletterqueue.topic.replication.factor',
      type: 'SHORT',
      defaultValue: 3,
      importance: 'MEDIUM',
      documentation: "Replication factor used to create the dead letter queue topic when it doesn't already exist.",
      group: ERRORS,
      orderInGroup: 7,
    })
    .define({
      name: 'errors.deadletterqueue.context.headers.enable',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'MEDIUM',
      documentation: 'If true, add headers containing error context to the messages written to the dead letter queue.',
      group: ERRORS,
      orderInGroup: 8,
    });
}

export function sourceConnectorConfigDef(): ConfigDef {
  return commonConnectorConfigDef()
    .define({
      name: 'topic.creation.groups',
      type: 'LIST',
      defaultValue: '',
      importance: 'LOW',
      documentation: 'Groups of configurations for topics created by source connectors.',
      group: 'Topic Creation',
    })
    .define({
      name: 'exactly.once.support',
      type: 'STRING',
      defaultValue: 'requested',
      importance: 'MEDIUM',
      documentation: 'requested or required.',
      validator: Validators.in('requested', 'required'),
      group: 'Exactly Once Support',
    })
    .define({
      name: 'transaction.boundary',
      type: 'STRING',
      defaultValue: 'poll',
      importance: 'MEDIUM',
      documentation:
        'Where the producer transactions of an exactly-once source task end: poll (after every batch the task returns from poll()), interval (every transaction.boundary.interval.ms) or connector (where the task says, through its TransactionContext; the connector must declare canDefineTransactionBoundaries).',
      validator: Validators.in('poll', 'interval', 'connector'),
      group: 'Exactly Once Support',
    })
    .define({
      name: 'transaction.boundary.interval.ms',
      type: 'LONG',
      defaultValue: null,
      importance: 'LOW',
      documentation:
        "With transaction.boundary=interval: how often the task commits its producer transaction. Defaults to the worker's offset.flush.interval.ms. Only valid with transaction.boundary=interval.",
      validator: Validators.atLeast(0),
      group: 'Exactly Once Support',
    })
    .define({
      name: 'offsets.storage.topic',
      type: 'STRING',
      defaultValue: null,
      importance: 'LOW',
      documentation: 'The name of a separate offsets topic to use for this connector (distributed mode only).',
      group: 'Exactly Once Support',
    });
}
