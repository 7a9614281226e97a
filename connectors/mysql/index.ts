import type { LazyPluginDescriptor } from '../../sdk/spi.ts';

// Listed without their code (mysql2, the binlog reader): imported when a MySQL/MariaDB connector is
// first used. The class names are config-keys.ts's and the version mysql-source-task.ts's
// CONNECTOR_VERSION (app/builtins.test.ts checks).
const version = '1.0.0';
const load = async () => {
  const { MysqlSourceConnector } = await import('./mysql-source-connector.js');
  return () => new MysqlSourceConnector();
};

export const mysqlPlugins: LazyPluginDescriptor[] = [
  {
    type: 'source',
    className: 'io.debezium.connector.mysql.MySqlConnector',
    aliases: ['tributary.mysql.MySqlSource'],
    version,
    load,
  },
  {
    type: 'source',
    className: 'io.debezium.connector.mariadb.MariaDbConnector',
    aliases: ['tributary.mysql.MariaDbSource'],
    version,
    load,
  },
];
