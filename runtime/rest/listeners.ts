/**
 * REST listeners as Kafka Connect's RestServer: `listeners` (and `admin.listeners`) are
 * `http://host:port` / `https://host:port` URIs; an empty host binds every interface (as Jetty
 * does for Kafka Connect), so the default is loopback. HTTPS takes `listeners.https.ssl.*` or,
 * when no key has that prefix, the worker's `ssl.*` keys (Kafka's all-or-nothing rule), with
 * PKCS12 or PEM keystores. Binding failures become one-line errors naming the listener and the fix.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ConfigException, InternalError } from '../errors.ts';
import type { ListenerSpec } from '../config/listener-uris.ts';

export type ListenerKind = 'main' | 'admin' | 'both';

export interface BoundListener extends ListenerSpec {
  kind: ListenerKind;
  /** The port actually bound (port 0 picks one). */
  boundPort: number;
  /** The address actually bound, e.g. 127.0.0.1, :: or 0.0.0.0. */
  boundAddress: string;
  /** A URL this machine can use to reach it (loopback for a wildcard bind). */
  url: string;
  /** Whether only this machine can reach it. */
  loopback: boolean;
}

/** The raw request carries the kind of listener it arrived on. */
export const LISTENER_KIND = Symbol('tributary.listener.kind');

export function isLoopback(address: string): boolean {
  if (address === 'localhost') return true;
  if (net.isIPv4(address)) return address.startsWith('127.');
  return address === '::1' || address.startsWith('::ffff:127.');
}

/** Node TLS server options from the worker's `listeners.https.ssl.*` (or `ssl.*`) keys. */
export function httpsServerOptions(props: Record<string, string>): https.ServerOptions {
  const prefixed = Object.keys(props).some((k) => k.startsWith('listeners.https.'));
  const prefix = prefixed ? 'listeners.https.' : '';
  const keyName = (k: string) => `${prefix}${k}`;
  const get = (k: string): string | undefined => {
    const v = props[keyName(k)];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const read = (k: string, file: string): Buffer => {
    try {
      return fs.readFileSync(file);
    } catch (err) {
      throw new ConfigException(
        `${keyName(k)}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
        { key: keyName(k) },
      );
    }
  };
  const opts: https.ServerOptions = {};
  const storeType = (get('ssl.keystore.type') ?? (get('ssl.keystore.key') ? 'PEM' : 'PKCS12')).toUpperCase();
  const location = get('ssl.keystore.location');
  if (storeType === 'PKCS12') {
    if (!location)
      throw new ConfigException(
        `${keyName('ssl.keystore.location')} is not set: an https listener needs a keystore (a PKCS12 file, or ssl.keystore.type=PEM with a PEM file holding the private key and certificate chain)`,
        { key: keyName('ssl.keystore.location') },
      );
    opts.pfx = read('ssl.keystore.location', location);
    opts.passphrase = get('ssl.keystore.password') ?? get('ssl.key.password');
  } else if (storeType === 'PEM') {
    let keyPem = get('ssl.keystore.key');
    let chainPem = get('ssl.keystore.certificate.chain');
    if (location) {
      const text = read('ssl.keystore.location', location).toString('utf8');
      keyPem ??= pemBlocks(text, /PRIVATE KEY/).join('\n') || undefined;
      chainPem ??= pemBlocks(text, /^CERTIFICATE$/).join('\n') || undefined;
    }
    if (!keyPem)
      throw new ConfigException(
        `${keyName('ssl.keystore.location')}: no private key found; with ssl.keystore.type=PEM give a PEM file holding the key and the certificate chain (or ssl.keystore.key and ssl.keystore.certificate.chain)`,
        { key: keyName('ssl.keystore.location') },
      );
    if (!chainPem)
      throw new ConfigException(
        `${keyName('ssl.keystore.location')}: no certificate found; the PEM keystore must hold the certificate chain after the private key (or set ssl.keystore.certificate.chain)`,
        { key: keyName('ssl.keystore.location') },
      );
    opts.key = keyPem;
    opts.cert = chainPem;
    opts.passphrase = get('ssl.key.password');
  } else {
    throw new ConfigException(
      `${keyName('ssl.keystore.type')}=${storeType} is not supported: use PKCS12 or PEM (convert a JKS keystore with \`keytool -importkeystore -srckeystore ks.jks -destkeystore ks.p12 -deststoretype PKCS12\`)`,
      { key: keyName('ssl.keystore.type') },
    );
  }
  const trustType = (get('ssl.truststore.type') ?? 'PEM').toUpperCase();
  const trustLocation = get('ssl.truststore.location');
  const trustCerts = get('ssl.truststore.certificates');
  if (trustLocation || trustCerts) {
    if (trustType !== 'PEM')
      throw new ConfigException(
        `${keyName('ssl.truststore.type')}=${trustType} is not supported for the REST listener: give the CA certificates as PEM (\`openssl pkcs12 -in truststore.p12 -nokeys -out ca.pem\`) and set ssl.truststore.type=PEM`,
        { key: keyName('ssl.truststore.type') },
      );
    opts.ca = trustCerts ?? read('ssl.truststore.location', trustLocation!).toString('utf8');
  }
  const clientAuth = (get('ssl.client.auth') ?? 'none').toLowerCase();
  if (!['none', 'requested', 'required'].includes(clientAuth))
    throw new ConfigException(`${keyName('ssl.client.auth')}=${clientAuth}: use none, requested or required`, {
      key: keyName('ssl.client.auth'),
    });
  if (clientAuth !== 'none') {
    if (!opts.ca)
      throw new ConfigException(
        `${keyName('ssl.client.auth')}=${clientAuth} needs ${keyName('ssl.truststore.location')} (the CA that signs client certificates)`,
        { key: keyName('ssl.client.auth') },
      );
    opts.requestCert = true;
    opts.rejectUnauthorized = clientAuth === 'required';
  }
  return opts;
}

function pemBlocks(text: string, label: RegExp): string[] {
  return [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g)]
    .filter((m) => label.test(m[1]))
    .map((m) => m[0]);
}

const servers = new WeakMap<FastifyInstance, net.Server[]>();

/** Call before the app is ready: closing the app closes the listeners' servers. */
export function closeListenersWith(app: FastifyInstance): void {
  servers.set(app, []);
  app.addHook('onClose', async () => {
    await Promise.all((servers.get(app) ?? []).map((s) => closeServer(s as http.Server)));
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const force = setTimeout(() => server.closeAllConnections(), 2000);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * Binds every listener (the main ones, then the admin ones). `admin` null: the main listeners
 * serve /admin too (Kafka Connect's default); [] disables /admin.
 */
export async function startListeners(
  app: FastifyInstance,
  main: ListenerSpec[],
  admin: ListenerSpec[] | null,
  tlsOptions: () => https.ServerOptions,
): Promise<BoundListener[]> {
  if (main.length === 0)
    throw new ConfigException('listeners is empty: give at least one listener, e.g. http://127.0.0.1:8083', {
      key: 'listeners',
    });
  await app.ready();
  let tls: https.ServerOptions | undefined;
  const list = servers.get(app);
  if (!list) throw new InternalError('closeListenersWith(app) must be called while building the app');
  const bound: BoundListener[] = [];
  const all: Array<[ListenerSpec, ListenerKind, string]> = [
    ...main.map((s) => [s, admin === null ? 'both' : 'main', 'listeners'] as [ListenerSpec, ListenerKind, string]),
    ...(admin ?? []).map((s) => [s, 'admin', 'admin.listeners'] as [ListenerSpec, ListenerKind, string]),
  ];
  try {
    for (const [spec, kind, key] of all) {
      const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
        (req as unknown as Record<symbol, ListenerKind>)[LISTENER_KIND] = kind;
        app.routing(req, res);
      };
      let server: http.Server;
      if (spec.protocol === 'https') {
        tls ??= tlsOptions();
        try {
          server = https.createServer(tls, handler);
        } catch (err) {
          throw new ConfigException(
            `${key}: ${spec.raw}: the TLS keystore cannot be used (${(err as Error).message}); check ssl.keystore.location, ssl.keystore.password and ssl.key.password`,
            { key },
          );
        }
      } else {
        server = http.createServer(handler);
      }
      server.keepAliveTimeout = 5000;
      list.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: spec.host === '' ? undefined : spec.host, port: spec.port }, () => {
          server.off('error', reject);
          resolve();
        });
      }).catch((err: NodeJS.ErrnoException) => {
        throw new ConfigException(bindError(key, spec, err), { key });
      });
      const address = server.address() as net.AddressInfo;
      const wildcard = spec.host === '' || spec.host === '0.0.0.0' || spec.host === '::';
      const reachHost = wildcard ? '127.0.0.1' : spec.host === 'localhost' ? 'localhost' : address.address;
      bound.push({
        ...spec,
        kind,
        boundPort: address.port,
        boundAddress: address.address,
        url: `${spec.protocol}://${net.isIPv6(reachHost) ? `[${reachHost}]` : reachHost}:${address.port}`,
        loopback: !wildcard && isLoopback(address.address),
      });
    }
  } catch (err) {
    await Promise.all(list.map((s) => closeServer(s as http.Server)));
    throw err;
  }
  return bound;
}

function bindError(key: string, spec: ListenerSpec, err: NodeJS.ErrnoException): string {
  const where = `${spec.host || '*'}:${spec.port}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return `${key}: ${spec.raw}: port ${spec.port} is already in use (${where}); stop the other process or choose another port in ${key}`;
    case 'EADDRNOTAVAIL':
      return `${key}: ${spec.raw}: ${spec.host} is not an address of this machine; use one of its addresses, 127.0.0.1, or an empty host for every interface`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${key}: ${spec.raw}: the host name ${spec.host} does not resolve; use an address or a resolvable name`;
    case 'EACCES':
      return `${key}: ${spec.raw}: binding port ${spec.port} needs privileges this process does not have; use a port above 1023`;
    default:
      return `${key}: ${spec.raw}: cannot listen on ${where}: ${err.message}`;
  }
}

/** The banner: where the API listens and, when others can reach it without credentials, a warning. */
export function describeListeners(bound: BoundListener[], authenticated: boolean): string[] {
  const lines: string[] = [];
  for (const l of bound) {
    const scope = l.loopback
      ? 'this machine only'
      : l.host === '' || l.host === '0.0.0.0' || l.host === '::'
        ? `every network interface (${l.boundAddress} port ${l.boundPort})`
        : `the network, on ${l.boundAddress}`;
    lines.push(
      `${l.kind === 'admin' ? 'Admin REST API' : 'REST API'} at ${l.url} (reachable from ${scope}${authenticated ? ', authentication required' : ''})`,
    );
  }
  if (!authenticated && bound.some((l) => !l.loopback)) {
    lines.push(
      'WARNING: the REST API is reachable from other machines and needs no credentials: anyone who reaches it can create, change and delete connectors. Set rest.auth.credentials.file (or rest.auth.tokens.file), or bind loopback only (listeners=http://127.0.0.1:8083). See docs/security.md.',
    );
  }
  return lines;
}
