import type { PluginDescriptor } from '../../sdk/spi.ts';
import { CONFLUENT_CLASS, DEBEZIUM_CLASS } from './config.ts';
import { JdbcSinkConnector } from './jdbc-sink-connector.ts';
import { JDBC_SINK_VERSION } from './jdbc-sink-task.ts';

export const jdbcPlugins: PluginDescriptor[] = [
  {
    type: 'sink',
    className: CONFLUENT_CLASS,
    aliases: ['tributary.jdbc.JdbcSink', 'JdbcSinkConnector'],
    version: JDBC_SINK_VERSION,
    create: () => new JdbcSinkConnector(),
  },
  {
    type: 'sink',
    className: DEBEZIUM_CLASS,
    aliases: ['tributary.jdbc.debezium.JdbcSink'],
    version: JDBC_SINK_VERSION,
    create: () => new JdbcSinkConnector(),
  },
];
