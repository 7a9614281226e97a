import type { PluginDescriptor } from '../../sdk/spi.ts';
import { MARIADB_CONNECTOR_CLASS, MYSQL_CONNECTOR_CLASS } from './config.ts';
import { MysqlSourceConnector } from './mysql-source-connector.ts';
import { CONNECTOR_VERSION } from './mysql-source-task.ts';

export const mysqlPlugins: PluginDescriptor[] = [
  {
    type: 'source',
    className: MYSQL_CONNECTOR_CLASS,
    aliases: ['tributary.mysql.MySqlSource'],
    version: CONNECTOR_VERSION,
    create: () => new MysqlSourceConnector(),
  },
  {
    type: 'source',
    className: MARIADB_CONNECTOR_CLASS,
    aliases: ['tributary.mysql.MariaDbSource'],
    version: CONNECTOR_VERSION,
    create: () => new MysqlSourceConnector(),
  },
];
