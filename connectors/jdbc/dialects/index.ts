/** Picks the dialect for a connection URL. */
import type { JdbcSinkSettings } from '../config.ts';
import type { Dialect } from '../dialect.ts';
import type { Logger } from '../../../sdk/logging.ts';
import { MySqlDialect } from './mysql.ts';
import { PostgresDialect } from './postgres.ts';

export function openDialect(settings: JdbcSinkSettings, logger?: Logger): Dialect {
  switch (settings.url.kind) {
    case 'postgresql':
      return new PostgresDialect(settings);
    case 'mysql':
    case 'mariadb':
      return new MySqlDialect(settings, logger);
  }
}
