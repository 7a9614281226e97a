/**
 * TLS to PostgreSQL as Debezium's connector does it through pgjdbc: `database.sslmode` from
 * disable to verify-full, the CA in `database.sslrootcert`, a client certificate in
 * `database.sslcert` / `database.sslkey` (+ `database.sslpassword`). allow and prefer fall back
 * between plain and TLS the way pgjdbc does; require, like pgjdbc, does not check the certificate.
 */
import type { ConnectionOptions } from 'node:tls';
import type pg from 'pg';
import type { ParsedConfig } from '../../../sdk/config.ts';
import { ConfigException, ConnectException } from '../../../sdk/errors.ts';
import {
  readCertificateFile,
  readPrivateKeyFile,
  readTrustStore,
  describeTlsFailure,
  type TlsContext,
} from '../../../sdk/internal/tls.ts';

export type PgSslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

/** The names the settings were configured under, so messages name what to fix. */
export interface PgTlsKeys {
  mode: string;
  rootCert: string;
  cert: string;
  key: string;
  password: string;
  host: string;
}

export const DEBEZIUM_PG_TLS_KEYS: PgTlsKeys = {
  mode: 'database.sslmode',
  rootCert: 'database.sslrootcert',
  cert: 'database.sslcert',
  key: 'database.sslkey',
  password: 'database.sslpassword',
  host: 'database.hostname',
};

export interface PgTlsSettings {
  mode: PgSslMode;
  rootCert: string | null;
  /** Options for tls.connect (CA, client identity, verification); null when mode is disable. */
  options: ConnectionOptions | null;
  keys: PgTlsKeys;
}

export interface PgTlsValues {
  mode: PgSslMode;
  rootCert: string | null;
  cert: string | null;
  key: string | null;
  password: string | null;
}

export function parsePgTls(c: ParsedConfig): PgTlsSettings {
  return pgTls(
    {
      mode: c.getString('database.sslmode').toLowerCase() as PgSslMode,
      rootCert: c.getOptionalString('database.sslrootcert'),
      cert: c.getOptionalString('database.sslcert'),
      key: c.getOptionalString('database.sslkey'),
      password: c.getPassword('database.sslpassword')?.value ?? null,
    },
    DEBEZIUM_PG_TLS_KEYS,
  );
}

export function pgTls(v: PgTlsValues, keys: PgTlsKeys): PgTlsSettings {
  const { mode, rootCert } = v;
  if (mode === 'disable') return { mode, rootCert, options: null, keys };
  const verify = mode === 'verify-ca' || mode === 'verify-full';
  const options: ConnectionOptions = { rejectUnauthorized: verify };
  if (verify && rootCert) options.ca = readTrustStore({ key: keys.rootCert, path: rootCert });
  if (mode === 'verify-ca') options.checkServerIdentity = () => undefined;
  if (v.key) {
    const key = readPrivateKeyFile(keys.key, v.key, { key: keys.password, value: v.password });
    options.key = key.key;
    if (key.passphrase) options.passphrase = key.passphrase;
    if (v.cert) options.cert = readCertificateFile(keys.cert, v.cert);
    else if (key.cert) options.cert = key.cert;
    else
      throw new ConfigException(
        `${keys.key} is set but ${keys.cert} is not: set ${keys.cert} to the client certificate of that key`,
        { key: keys.cert },
      );
  } else if (v.cert) {
    throw new ConfigException(
      `${keys.cert} is set but ${keys.key} is not: set ${keys.key} to the client certificate's private key`,
      { key: keys.key },
    );
  }
  return { mode, rootCert, options, keys };
}

/** The `ssl` setting of each connection attempt, in order (allow and prefer try both). */
export function pgSslAttempts(t: PgTlsSettings): Array<ConnectionOptions | false> {
  switch (t.mode) {
    case 'disable':
      return [false];
    case 'allow':
      return [false, t.options!];
    case 'prefer':
      return [t.options!, false];
    default:
      return [t.options!];
  }
}

/** Whether a failed attempt may be retried with the next `ssl` setting. */
export function pgMayFallBack(t: PgTlsSettings, err: unknown): boolean {
  const msg = err instanceof Error ? err.message : '';
  const code = (err as { code?: string } | null)?.code;
  // prefer: the server answered 'N' to the SSLRequest. allow: pg_hba.conf accepts only hostssl.
  if (t.mode === 'prefer') return /does not support SSL/i.test(msg);
  if (t.mode === 'allow') return code === '28000' || /no encryption|pg_hba\.conf/i.test(msg);
  return false;
}

export function pgTlsContext(host: string, port: number, t: PgTlsSettings): TlsContext {
  return {
    server: `PostgreSQL server ${host}:${port}`,
    host,
    caKey: t.keys.rootCert,
    caValue: t.rootCert,
    modeKey: t.keys.mode,
    mode: t.mode,
    noHostCheck: `set ${t.keys.mode}=verify-ca to check only the CA`,
    clientCertKey: t.keys.cert,
    hostKey: t.keys.host,
  };
}

/** The clear message for a failed connection, or null when the failure is not about TLS. */
export function describePgConnectFailure(err: unknown, host: string, port: number, t: PgTlsSettings): string | null {
  if (err instanceof Error && /does not support SSL/i.test(err.message)) {
    return `PostgreSQL server ${host}:${port} does not accept TLS connections but ${t.keys.mode}=${t.mode} requires TLS: enable ssl on the server, or set ${t.keys.mode}=prefer (or disable).`;
  }
  return describeTlsFailure(err, pgTlsContext(host, port, t));
}

/**
 * Opens a client with the mode's attempts (allow and prefer fall back between plain and TLS); a
 * TLS failure is rethrown as one clear ConnectException naming the key to fix.
 */
export async function connectPgWithTls(
  t: PgTlsSettings,
  host: string,
  port: number,
  open: (ssl: ConnectionOptions | false) => pg.Client,
): Promise<pg.Client> {
  const attempts = pgSslAttempts(t);
  for (let i = 0; ; i++) {
    const client = open(attempts[i]);
    try {
      await client.connect();
      return client;
    } catch (err) {
      if (i + 1 < attempts.length && pgMayFallBack(t, err)) continue;
      const clear = describePgConnectFailure(err, host, port, t);
      throw clear ? new ConnectException(clear, { cause: err }) : err;
    }
  }
}
