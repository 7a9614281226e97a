import type { LazyPluginDescriptor } from '../../sdk/spi.ts';

// Listed without their code (pg, mysql2): the module is imported when a JDBC sink is first used.
// The class names and version are those of config.ts and jdbc-sink-task.ts (app/builtins.test.ts checks).
const version = '1.0.0';
const load = async () => {
  const { JdbcSinkConnector } = await import('./jdbc-sink-connector.js');
  return () => new JdbcSinkConnector();
};

export const jdbcPlugins: LazyPluginDescriptor[] = [
  {
    type: 'sink',
    className: 'io.confluent.connect.jdbc.JdbcSinkConnector',
    aliases: ['tributary.jdbc.JdbcSink', 'JdbcSinkConnector'],
    version,
    load,
  },
  {
    type: 'sink',
    className: 'io.debezium.connector.jdbc.JdbcSinkConnector',
    aliases: ['tributary.jdbc.debezium.JdbcSink'],
    version,
    load,
  },
];
