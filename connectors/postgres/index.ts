import type { LazyPluginDescriptor } from '../../sdk/spi.ts';

// Listed without its code (pg, the decoders): imported when a PostgreSQL connector is first used.
// The version is postgres-source-task.ts's POSTGRES_CONNECTOR_VERSION (app/builtins.test.ts checks).
export const postgresPlugins: LazyPluginDescriptor[] = [
  {
    type: 'source',
    className: 'io.debezium.connector.postgresql.PostgresConnector',
    aliases: ['tributary.postgres.PostgresSource', 'PostgresSource'],
    version: '1.0.0',
    load: async () => {
      const { PostgresConnector } = await import('./postgres-connector.js');
      return () => new PostgresConnector();
    },
  },
];
