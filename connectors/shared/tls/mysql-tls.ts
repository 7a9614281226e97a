/**
 * TLS to MySQL/MariaDB as Debezium's binlog connectors configure it: `database.ssl.mode`
 * (MySQL's disabled/preferred/required/verify_ca/verify_identity, and the MariaDB connector's
 * disable/trust/verify-ca/verify-full), the CA in `database.ssl.truststore` and a client
 * certificate in `database.ssl.keystore` (PEM or PKCS12; Java JKS is refused with the keytool fix).
 * mysql2 does the protocol's part (the SSL request packet after the server's handshake) for the
 * query, snapshot and binlog connections alike.
 */
import net from 'node:net';
import type { SslOptions } from 'mysql2';
import mysql from 'mysql2/promise';
import type { ParsedConfig } from '../../../sdk/config.ts';
import { ConnectException } from '../../../sdk/errors.ts';
import { readKeyStore, readTrustStore, describeTlsFailure } from '../../../sdk/internal/tls.ts';

export type MysqlSslMode = 'disabled' | 'preferred' | 'required' | 'verify_ca' | 'verify_identity';

/** The MariaDB connector's names (MariaDbConnectorConfig.MariaDbSecureConnectionMode) for the same modes. */
const ALIASES: Record<string, MysqlSslMode> = {
  disable: 'disabled',
  trust: 'required',
  'verify-ca': 'verify_ca',
  'verify-full': 'verify_identity',
};
export const MYSQL_SSL_MODES = [
  'disabled',
  'preferred',
  'required',
  'verify_ca',
  'verify_identity',
  ...Object.keys(ALIASES),
];

/** The names the settings were configured under, so messages name what to fix. */
export interface MysqlTlsKeys {
  mode: string;
  truststore: string;
  truststorePassword: string;
  keystore: string;
  keystorePassword: string;
  host: string;
}

export const DEBEZIUM_MYSQL_TLS_KEYS: MysqlTlsKeys = {
  mode: 'database.ssl.mode',
  truststore: 'database.ssl.truststore',
  truststorePassword: 'database.ssl.truststore.password',
  keystore: 'database.ssl.keystore',
  keystorePassword: 'database.ssl.keystore.password',
  host: 'database.hostname',
};

export interface MysqlTlsSettings {
  mode: MysqlSslMode;
  /** As configured, for messages (e.g. `verify-full` for the MariaDB connector). */
  configuredMode: string;
  truststore: string | null;
  /** mysql2's ssl option; undefined when mode is disabled. */
  ssl: SslOptions | undefined;
  /** preferred, and the server does not offer TLS: connect in plain. Set by the first connection. */
  plainFallback: boolean;
  keys: MysqlTlsKeys;
}

export interface MysqlTlsValues {
  /** Any of MYSQL_SSL_MODES (case-insensitive). */
  mode: string;
  truststore: string | null;
  truststorePassword: string | null;
  /** Or the CA certificates themselves (MariaDB Connector/J's serverSslCert may be inline PEM). */
  caPem?: string | null;
  keystore: string | null;
  keystorePassword: string | null;
}

export function parseMysqlTls(c: ParsedConfig): MysqlTlsSettings {
  return mysqlTls(
    {
      mode: c.getString('database.ssl.mode'),
      truststore: c.getOptionalString('database.ssl.truststore'),
      truststorePassword: c.getPassword('database.ssl.truststore.password')?.value ?? null,
      keystore: c.getOptionalString('database.ssl.keystore'),
      keystorePassword: c.getPassword('database.ssl.keystore.password')?.value ?? null,
    },
    DEBEZIUM_MYSQL_TLS_KEYS,
  );
}

export function mysqlTls(v: MysqlTlsValues, keys: MysqlTlsKeys): MysqlTlsSettings {
  const configuredMode = v.mode.trim().toLowerCase();
  const mode = ALIASES[configuredMode] ?? (configuredMode as MysqlSslMode);
  const { truststore, keystore } = v;
  if (mode === 'disabled') return { mode, configuredMode, truststore, ssl: undefined, plainFallback: false, keys };
  const verify = mode === 'verify_ca' || mode === 'verify_identity';
  const ssl: SslOptions = { rejectUnauthorized: verify, verifyIdentity: mode === 'verify_identity' };
  if (verify && truststore) {
    ssl.ca = readTrustStore({
      key: keys.truststore,
      path: truststore,
      passwordKey: keys.truststorePassword,
      password: v.truststorePassword,
    });
  } else if (verify && v.caPem) {
    ssl.ca = v.caPem;
  }
  if (keystore) {
    const id = readKeyStore({
      key: keys.keystore,
      path: keystore,
      passwordKey: keys.keystorePassword,
      password: v.keystorePassword,
    });
    ssl.cert = id.cert;
    ssl.key = id.key;
    if (id.passphrase) ssl.passphrase = id.passphrase;
  }
  return { mode, configuredMode, truststore, ssl, plainFallback: false, keys };
}

export function mysqlSslOption(t: MysqlTlsSettings): SslOptions | undefined {
  return t.plainFallback ? undefined : t.ssl;
}

/**
 * verify_identity to an IP address: mysql2 sends no server name for an IP and leaves the check to
 * Node, which then compares the certificate with the socket's `_host` — unset for an IP, so
 * Node falls back to "localhost" and a certificate for localhost would pass. This socket factory
 * names the IP, so the certificate must list it.
 */
export function mysqlStreamOption(host: string, port: number, t: MysqlTlsSettings): (() => net.Socket) | undefined {
  if (t.mode !== 'verify_identity' || t.plainFallback || net.isIP(host) === 0) return undefined;
  return () => {
    const socket = net.connect(port, host);
    (socket as net.Socket & { _host: string | null })._host = host;
    socket.setNoDelay(true);
    socket.on('connect', () => socket.setKeepAlive(true, 0));
    return socket;
  };
}

/** The clear message for a failed connection, or null when the failure is not about TLS. */
export function describeMysqlConnectFailure(
  err: unknown,
  host: string,
  port: number,
  t: MysqlTlsSettings,
): string | null {
  const k = t.keys;
  if ((err as { code?: string } | null)?.code === 'HANDSHAKE_NO_SSL_SUPPORT') {
    return `MySQL/MariaDB server ${host}:${port} does not offer TLS but ${k.mode}=${t.configuredMode} requires it: configure ssl_cert/ssl_key on the server, or set ${k.mode}=preferred (or disabled).`;
  }
  return describeTlsFailure(err, {
    server: `MySQL/MariaDB server ${host}:${port}`,
    host,
    caKey: k.truststore,
    caValue: t.truststore,
    modeKey: k.mode,
    mode: t.configuredMode,
    noHostCheck: `set ${k.mode}=verify_ca to check only the CA`,
    clientCertKey: k.keystore,
    hostKey: k.host,
  });
}

/**
 * Opens a promise connection; with `preferred` a server without TLS is connected to in plain
 * (remembered for the other connections), and TLS failures become one clear ConnectException.
 */
export async function connectMysql(options: mysql.ConnectionOptions, t: MysqlTlsSettings): Promise<mysql.Connection> {
  try {
    const stream = mysqlStreamOption(options.host ?? 'localhost', options.port ?? 3306, t);
    return await mysql.createConnection({ ...options, ssl: mysqlSslOption(t), ...(stream ? { stream } : {}) });
  } catch (err) {
    if (t.mode === 'preferred' && !t.plainFallback && (err as { code?: string }).code === 'HANDSHAKE_NO_SSL_SUPPORT') {
      t.plainFallback = true;
      return connectMysql(options, t);
    }
    throw explainMysqlFailure(err, options, t);
  }
}

export function explainMysqlFailure(
  err: unknown,
  options: { host?: string; port?: number },
  t: MysqlTlsSettings,
): unknown {
  const clear = describeMysqlConnectFailure(err, options.host ?? 'localhost', options.port ?? 3306, t);
  return clear ? new ConnectException(clear, { cause: err }) : err;
}

/** Settles `preferred` (TLS or plain) before code that opens connections from connectionOptions alone. */
export async function settleMysqlTls(options: mysql.ConnectionOptions, t: MysqlTlsSettings): Promise<void> {
  if (t.mode !== 'preferred' || t.plainFallback) return;
  const c = await connectMysql(options, t);
  await c.end().catch(() => undefined);
}
