/**
 * TLS to the schema registry with Confluent's serde keys (`schema.registry.ssl.truststore.*`,
 * `schema.registry.ssl.keystore.*`, `schema.registry.ssl.key.password`,
 * `schema.registry.ssl.endpoint.identification.algorithm`), and the HTTPS request that uses them:
 * Node's fetch cannot take a CA or a client certificate, so https URLs go through node:https.
 */
import { createHash } from 'node:crypto';
import https from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import { ConfigDef } from '../config/config-def.ts';
import { ConfigException, RetriableException, TributaryError } from '../errors.ts';
import { readKeyStore, readTrustStore } from '../tls/key-stores.ts';
import { describeTlsFailure, type TlsContext } from '../tls/tls-errors.ts';

const P = 'schema.registry.ssl.';
const G = 'Schema Registry';

export function defineRegistryTlsConfig(def: ConfigDef): ConfigDef {
  return def
    .define({
      name: `${P}truststore.location`,
      type: 'STRING',
      defaultValue: null,
      importance: 'MEDIUM',
      group: G,
      documentation:
        "Trust store with the CA certificates the registry's https certificate is checked against: PEM, DER or PKCS12 (a Java JKS store is refused with the keytool command converting it). Unset: the system CA store.",
    })
    .define({
      name: `${P}truststore.password`,
      type: 'PASSWORD',
      defaultValue: null,
      importance: 'MEDIUM',
      group: G,
      documentation: 'Password of a PKCS12 trust store.',
    })
    .define({
      name: `${P}truststore.type`,
      type: 'STRING',
      defaultValue: null,
      importance: 'LOW',
      group: G,
      documentation:
        "PEM or PKCS12 (JKS, Java's default, is accepted for a PKCS12 file); unset: recognised from the file.",
    })
    .define({
      name: `${P}truststore.certificates`,
      type: 'STRING',
      defaultValue: null,
      importance: 'LOW',
      group: G,
      documentation: 'The CA certificates as inline PEM (instead of a trust store file).',
    })
    .define({
      name: `${P}keystore.location`,
      type: 'STRING',
      defaultValue: null,
      importance: 'MEDIUM',
      group: G,
      documentation:
        'Key store with the client certificate and key for registries that check client certificates: PKCS12, or PEM with the chain and the key.',
    })
    .define({
      name: `${P}keystore.password`,
      type: 'PASSWORD',
      defaultValue: null,
      importance: 'MEDIUM',
      group: G,
      documentation: 'Password of the key store.',
    })
    .define({
      name: `${P}keystore.type`,
      type: 'STRING',
      defaultValue: null,
      importance: 'LOW',
      group: G,
      documentation: 'PEM or PKCS12; unset: recognised from the file.',
    })
    .define({
      name: `${P}key.password`,
      type: 'PASSWORD',
      defaultValue: null,
      importance: 'LOW',
      group: G,
      documentation: 'Password of the private key (an encrypted PEM key); default the key store password.',
    })
    .define({
      name: `${P}endpoint.identification.algorithm`,
      type: 'STRING',
      defaultValue: 'https',
      importance: 'LOW',
      group: G,
      documentation: 'https: the certificate must name the registry host; empty: the host name is not checked.',
    });
}

export interface RegistryTls {
  options: ConnectionOptions;
  context: Omit<TlsContext, 'server' | 'host'>;
  /** Identifies the TLS settings (hashed) so shared clients are not mixed up between them. */
  cacheKey: string;
}

export function registryTls(originals: Record<string, string>): RegistryTls {
  const get = (k: string): string | undefined => {
    const v = originals[P + k];
    return v === undefined || v.trim() === '' ? undefined : v;
  };
  const options: ConnectionOptions = { rejectUnauthorized: true };
  const trustLocation = get('truststore.location');
  if (trustLocation) {
    options.ca = readTrustStore({
      key: `${P}truststore.location`,
      path: trustLocation,
      type: get('truststore.type'),
      typeKey: `${P}truststore.type`,
      password: get('truststore.password'),
      passwordKey: `${P}truststore.password`,
    });
  } else if (get('truststore.certificates')) {
    options.ca = get('truststore.certificates');
  }
  const keyLocation = get('keystore.location');
  if (keyLocation) {
    const id = readKeyStore(
      {
        key: `${P}keystore.location`,
        path: keyLocation,
        type: get('keystore.type'),
        typeKey: `${P}keystore.type`,
        password: get('keystore.password'),
        passwordKey: `${P}keystore.password`,
      },
      { key: `${P}key.password`, value: get('key.password') },
    );
    options.cert = id.cert;
    options.key = id.key;
    if (id.passphrase) options.passphrase = id.passphrase;
  }
  const algorithm = originals[`${P}endpoint.identification.algorithm`] ?? 'https';
  if (algorithm.trim() !== '' && algorithm.trim().toLowerCase() !== 'https') {
    throw new ConfigException(
      `Invalid value ${algorithm} for configuration ${P}endpoint.identification.algorithm: use https or an empty value`,
      { key: `${P}endpoint.identification.algorithm` },
    );
  }
  if (algorithm.trim() === '') options.checkServerIdentity = () => undefined;
  const settings = Object.entries(originals)
    .filter(([k]) => k.startsWith(P))
    .sort(([a], [b]) => a.localeCompare(b));
  return {
    options,
    context: {
      caKey: `${P}truststore.location`,
      caValue: trustLocation ?? (get('truststore.certificates') ? '(inline PEM)' : null),
      modeKey: `${P}endpoint.identification.algorithm`,
      mode: algorithm.trim() || '(empty)',
      noHostCheck: `set ${P}endpoint.identification.algorithm= (empty) to skip the host name check`,
      clientCertKey: `${P}keystore.location`,
    },
    cacheKey: settings.length ? createHash('sha256').update(JSON.stringify(settings)).digest('hex') : '',
  };
}

export interface HttpsResult {
  status: number;
  ok: boolean;
  text: string;
}

/** A TLS trust or host name failure: a configuration problem, not worth retrying. */
export class RegistryTlsError extends TributaryError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, { code: 'TRIB_ERR_TLS', ...opts });
  }
}

/** One HTTPS request with the registry's TLS options; resolves with the status and body text. */
export function httpsRequest(
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    timeoutMs: number;
    agent: https.Agent;
    context: RegistryTls['context'];
  },
): Promise<HttpsResult> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = https.request(u, { method: init.method, headers: init.headers, agent: init.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        resolve({ status, ok: status >= 200 && status < 300, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', fail);
    });
    const timer = setTimeout(
      () => req.destroy(new RetriableException(`no answer within ${init.timeoutMs} ms`)),
      init.timeoutMs,
    );
    function fail(err: Error): void {
      clearTimeout(timer);
      const clear = describeTlsFailure(err, { ...init.context, server: `schema registry ${u.host}`, host: u.hostname });
      reject(clear ? new RegistryTlsError(clear, { cause: err }) : err);
    }
    req.on('error', fail);
    req.end(init.body);
  });
}
