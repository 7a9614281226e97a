/**
 * TLS to PostgreSQL as Debezium's connector does it through pgjdbc: `database.sslmode` from
 * disable to verify-full, the CA in `database.sslrootcert`, a client certificate in
 * `database.sslcert` / `database.sslkey` (+ `database.sslpassword`). allow and prefer fall back
 * between plain and TLS the way pgjdbc does; require, like pgjdbc, does not check the certificate.
 */
import type { ConnectionOptions } from 'node:tls';
import type { ParsedConfig } from '../../runtime/config/config-def.ts';
import { ConfigException } from '../../runtime/errors.ts';
import { readCertificateFile, readPrivateKeyFile, readTrustStore } from '../../runtime/tls/key-stores.ts';
import { describeTlsFailure, type TlsContext } from '../../runtime/tls/tls-errors.ts';

export type PgSslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

export interface PgTlsSettings {
  mode: PgSslMode;
  rootCert: string | null;
  /** Options for tls.connect (CA, client identity, verification); null when mode is disable. */
  options: ConnectionOptions | null;
}

export function parsePgTls(c: ParsedConfig): PgTlsSettings {
  const mode = c.getString('database.sslmode').toLowerCase() as PgSslMode;
  const rootCert = c.getOptionalString('database.sslrootcert');
  const certPath = c.getOptionalString('database.sslcert');
  const keyPath = c.getOptionalString('database.sslkey');
  const password = c.getPassword('database.sslpassword')?.value ?? null;
  if (mode === 'disable') return { mode, rootCert, options: null };
  const verify = mode === 'verify-ca' || mode === 'verify-full';
  const options: ConnectionOptions = { rejectUnauthorized: verify };
  if (verify && rootCert) options.ca = readTrustStore({ key: 'database.sslrootcert', path: rootCert });
  if (mode === 'verify-ca') options.checkServerIdentity = () => undefined;
  if (keyPath) {
    const key = readPrivateKeyFile('database.sslkey', keyPath, { key: 'database.sslpassword', value: password });
    options.key = key.key;
    if (key.passphrase) options.passphrase = key.passphrase;
    if (certPath) options.cert = readCertificateFile('database.sslcert', certPath);
    else if (key.cert) options.cert = key.cert;
    else throw new ConfigException(`database.sslkey is set but database.sslcert is not: set database.sslcert to the client certificate of that key`, { key: 'database.sslcert' });
  } else if (certPath) {
    throw new ConfigException(`database.sslcert is set but database.sslkey is not: set database.sslkey to the client certificate's private key`, { key: 'database.sslkey' });
  }
  return { mode, rootCert, options };
}

/** The `ssl` setting of each connection attempt, in order (allow and prefer try both). */
export function pgSslAttempts(t: PgTlsSettings): Array<ConnectionOptions | false> {
  switch (t.mode) {
    case 'disable': return [false];
    case 'allow': return [false, t.options!];
    case 'prefer': return [t.options!, false];
    default: return [t.options!];
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
    caKey: 'database.sslrootcert',
    caValue: t.rootCert,
    modeKey: 'database.sslmode',
    mode: t.mode,
    noHostCheck: 'set database.sslmode=verify-ca to check only the CA',
    clientCertKey: 'database.sslcert',
    hostKey: 'database.hostname',
  };
}

/** The clear message for a failed connection, or null when the failure is not about TLS. */
export function describePgConnectFailure(err: unknown, host: string, port: number, t: PgTlsSettings): string | null {
  if (err instanceof Error && /does not support SSL/i.test(err.message)) {
    return `PostgreSQL server ${host}:${port} does not accept TLS connections but database.sslmode=${t.mode} requires TLS: enable ssl on the server, or set database.sslmode=prefer (or disable).`;
  }
  return describeTlsFailure(err, pgTlsContext(host, port, t));
}
