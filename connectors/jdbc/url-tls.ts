/**
 * TLS from the JDBC URL's parameters, as the JDBC drivers read them: pgjdbc's `sslmode`, `ssl`,
 * `sslrootcert`, `sslcert`, `sslkey`, `sslpassword`, `sslfactory`; MySQL Connector/J's `sslMode`
 * (and the older `useSSL` / `requireSSL` / `verifyServerCertificate`) with
 * `trustCertificateKeyStoreUrl` / `clientCertificateKeyStoreUrl` (+ `…Password`); MariaDB
 * Connector/J's `sslMode` (disable, trust, verify-ca, verify-full) with `serverSslCert` and
 * `keyStore` / `keyStorePassword`.
 */
import { ConfigException } from '../../sdk/errors.ts';
import { mysqlTls, type MysqlTlsSettings } from '../shared/tls/mysql-tls.ts';
import { pgTls, type PgSslMode, type PgTlsSettings } from '../shared/tls/postgres-tls.ts';
import type { JdbcUrl } from './jdbc-url.ts';

const param = (name: string) => `connection.url parameter ${name}`;
const PG_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** pgjdbc: sslmode wins; `ssl=true` alone means verify-full; NonValidatingFactory means no check. */
export function postgresUrlTls(u: JdbcUrl): PgTlsSettings {
  const p = u.properties;
  let mode = p.sslmode?.trim().toLowerCase();
  if (mode !== undefined && !PG_MODES.includes(mode)) {
    throw new ConfigException(
      `Invalid value ${p.sslmode} for ${param('sslmode')}: use disable, allow, prefer, require, verify-ca or verify-full`,
      { key: 'connection.url' },
    );
  }
  if (mode === undefined)
    mode = p.ssl === undefined ? 'prefer' : p.ssl.toLowerCase() === 'false' ? 'disable' : 'verify-full';
  if (p.sslfactory !== undefined) {
    if (!/NonValidatingFactory$/.test(p.sslfactory))
      throw new ConfigException(
        `${param('sslfactory')}=${p.sslfactory} is not supported: use sslmode=require (no certificate check) or verify-ca/verify-full with sslrootcert`,
        { key: 'connection.url' },
      );
    if (mode === 'verify-ca' || mode === 'verify-full') mode = 'require';
  }
  return pgTls(
    {
      mode: mode as PgSslMode,
      rootCert: p.sslrootcert ?? null,
      cert: p.sslcert ?? null,
      key: p.sslkey ?? null,
      password: p.sslpassword ?? null,
    },
    {
      mode: param('sslmode'),
      rootCert: param('sslrootcert'),
      cert: param('sslcert'),
      key: param('sslkey'),
      password: param('sslpassword'),
      host: 'the host in connection.url',
    },
  );
}

/** `file:/path` or a plain path, as Connector/J's key store URLs. */
function storePath(url: string | undefined): string | null {
  if (url === undefined || url === '') return null;
  return url.startsWith('file:') ? decodeURIComponent(new URL(url).pathname) : url;
}

const truthy = (v: string | undefined): boolean | undefined =>
  v === undefined ? undefined : v.toLowerCase() === 'true';

export function mysqlUrlTls(u: JdbcUrl): MysqlTlsSettings {
  const p = u.properties;
  if (u.kind === 'mariadb') {
    // MariaDB Connector/J 3: sslMode, or the older useSsl/useSSL (+ trustServerCertificate).
    let mode = p.sslMode;
    const useSsl = truthy(p.useSsl ?? p.useSSL);
    if (mode === undefined) mode = useSsl ? (truthy(p.trustServerCertificate) ? 'trust' : 'verify-full') : 'disable';
    const cert = p.serverSslCert;
    const inline = cert?.includes('-----BEGIN') ? cert : null;
    return checkedMode(mode, () =>
      mysqlTls(
        {
          mode,
          truststore: inline ? null : (cert ?? null),
          truststorePassword: null,
          caPem: inline,
          keystore: storePath(p.keyStore),
          keystorePassword: p.keyStorePassword ?? null,
        },
        {
          mode: param('sslMode'),
          truststore: param('serverSslCert'),
          truststorePassword: param('serverSslCert'),
          keystore: param('keyStore'),
          keystorePassword: param('keyStorePassword'),
          host: 'the host in connection.url',
        },
      ),
    );
  }
  // MySQL Connector/J 8: sslMode (default PREFERRED); the deprecated useSSL/requireSSL/verifyServerCertificate.
  let mode = p.sslMode;
  if (mode === undefined) {
    const useSsl = truthy(p.useSSL);
    if (useSsl === false) mode = 'disabled';
    else if (truthy(p.verifyServerCertificate)) mode = 'verify_ca';
    else if (truthy(p.requireSSL)) mode = 'required';
    else mode = 'preferred';
  }
  return checkedMode(mode, () =>
    mysqlTls(
      {
        mode,
        truststore: storePath(p.trustCertificateKeyStoreUrl),
        truststorePassword: p.trustCertificateKeyStorePassword ?? null,
        keystore: storePath(p.clientCertificateKeyStoreUrl),
        keystorePassword: p.clientCertificateKeyStorePassword ?? null,
      },
      {
        mode: param('sslMode'),
        truststore: param('trustCertificateKeyStoreUrl'),
        truststorePassword: param('trustCertificateKeyStorePassword'),
        keystore: param('clientCertificateKeyStoreUrl'),
        keystorePassword: param('clientCertificateKeyStorePassword'),
        host: 'the host in connection.url',
      },
    ),
  );
}

const MYSQL_MODES = [
  'disabled',
  'preferred',
  'required',
  'verify_ca',
  'verify_identity',
  'disable',
  'trust',
  'verify-ca',
  'verify-full',
];

function checkedMode(mode: string, build: () => MysqlTlsSettings): MysqlTlsSettings {
  if (!MYSQL_MODES.includes(mode.trim().toLowerCase())) {
    throw new ConfigException(
      `Invalid value ${mode} for ${param('sslMode')}: use DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY (MariaDB: disable, trust, verify-ca, verify-full)`,
      { key: 'connection.url' },
    );
  }
  return build();
}
