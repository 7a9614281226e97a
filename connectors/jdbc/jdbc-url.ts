/**
 * Parses the JDBC URLs users already have in their connector JSON (`jdbc:postgresql://…`,
 * `jdbc:mysql://…`, `jdbc:mariadb://…`) into what the Node drivers need.
 */
import { ConfigException } from '../../sdk/errors.ts';

export type DatabaseKind = 'postgresql' | 'mysql' | 'mariadb';

export interface JdbcUrl {
  kind: DatabaseKind;
  host: string;
  port: number;
  database: string;
  user: string | undefined;
  password: string | undefined;
  /** Remaining URL properties (e.g. `sslmode`, `currentSchema`). */
  properties: Record<string, string>;
}

const DEFAULT_PORTS: Record<DatabaseKind, number> = { postgresql: 5432, mysql: 3306, mariadb: 3306 };

export function parseJdbcUrl(url: string): JdbcUrl {
  const m = /^jdbc:(postgresql|mysql|mariadb):\/\/([^/?#]*)(?:\/([^?#]*))?(?:\?([^#]*))?$/i.exec(url.trim());
  if (!m) {
    throw new ConfigException(
      `Invalid value ${redact(url)} for configuration connection.url: expected jdbc:postgresql://host[:port]/database, jdbc:mysql://host[:port]/database or jdbc:mariadb://host[:port]/database`,
      { key: 'connection.url' },
    );
  }
  const kind = m[1].toLowerCase() as DatabaseKind;
  const properties: Record<string, string> = {};
  for (const part of (m[4] ?? '').split('&').filter(Boolean)) {
    const eq = part.indexOf('=');
    const k = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    properties[k] = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
  }
  let hostPart = m[2];
  let user: string | undefined;
  let password: string | undefined;
  const at = hostPart.lastIndexOf('@');
  if (at >= 0) {
    const cred = hostPart.slice(0, at);
    hostPart = hostPart.slice(at + 1);
    const colon = cred.indexOf(':');
    user = decodeURIComponent(colon < 0 ? cred : cred.slice(0, colon));
    if (colon >= 0) password = decodeURIComponent(cred.slice(colon + 1));
  }
  if (hostPart.includes(',')) {
    throw new ConfigException(
      `connection.url lists several hosts (${hostPart}); Tributary connects to one host: give a single host[:port]`,
      { key: 'connection.url' },
    );
  }
  let host = hostPart || 'localhost';
  let port = DEFAULT_PORTS[kind];
  const pm = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPart);
  if (hostPart && !pm)
    throw new ConfigException(`connection.url has an invalid host:port "${hostPart}"`, { key: 'connection.url' });
  if (pm) {
    host = pm[1].replace(/^\[|\]$/g, '');
    if (pm[2]) port = Number(pm[2]);
  }
  if (properties.user !== undefined) user = properties.user;
  if (properties.password !== undefined) password = properties.password;
  delete properties.user;
  delete properties.password;
  const database = decodeURIComponent(m[3] ?? '');
  if (!database)
    throw new ConfigException(`connection.url ${redact(url)} names no database: append /<database> after host:port`, {
      key: 'connection.url',
    });
  return { kind, host, port, database, user, password, properties };
}

/** The URL with any password removed, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/(password=)[^&]*/gi, '$1***').replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
