import type { PluginDescriptor } from '../../sdk/spi.ts';
import { PostgresConnector } from './postgres-connector.ts';
import { POSTGRES_CONNECTOR_VERSION } from './postgres-source-task.ts';

export const postgresPlugins: PluginDescriptor[] = [
  {
    type: 'source',
    className: 'io.debezium.connector.postgresql.PostgresConnector',
    aliases: ['tributary.postgres.PostgresSource', 'PostgresSource'],
    version: POSTGRES_CONNECTOR_VERSION,
    create: () => new PostgresConnector(),
  },
];
