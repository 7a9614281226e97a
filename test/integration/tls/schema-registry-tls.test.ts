/**
 * TLS to the schema registry: the test's registry (Apicurio, plain HTTP) behind a TLS terminator
 * with the test's certificates that requires a client certificate. Registry settings as
 * Confluent's serdes write them (schema.registry.ssl.*) register and fetch schemas; a wrong CA,
 * a missing client certificate and a wrong host name are refused with one clear message that is
 * not retried as an outage.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import tls from 'node:tls';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { makeTestCerts, type TestCerts } from '../../helpers/test-certs.ts';
import { testSchemaRegistryUrl } from '../../setup/env.ts';
import { ConfigDef, ParsedConfig } from '../../../runtime/config/config-def.ts';
import { defineSerdeConfig, serdeSettings } from '../../../runtime/schema-registry/serde-config.ts';
import { resetSharedRegistryClients } from '../../../runtime/schema-registry/shared-clients.ts';

let certs: TestCerts;
let terminator: tls.Server;
let port = 0;
let registryPath = '';
/** Open connections: the clients keep theirs alive, so closing the terminator ends them. */
const open = new Set<net.Socket>();

beforeAll(async () => {
  certs = makeTestCerts();
  const upstream = new URL(testSchemaRegistryUrl());
  registryPath = upstream.pathname;
  terminator = tls.createServer(
    {
      cert: fs.readFileSync(certs.serverCert),
      key: fs.readFileSync(certs.serverKey),
      ca: fs.readFileSync(certs.caCert),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (client) => {
      const server = net.connect(Number(upstream.port), upstream.hostname);
      open.add(client).add(server);
      client.on('error', () => server.destroy());
      server.on('error', () => client.destroy());
      client.pipe(server).pipe(client);
    },
  );
  terminator.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => terminator.listen(0, '127.0.0.1', () => resolve()));
  port = (terminator.address() as net.AddressInfo).port;
});

afterAll(async () => {
  for (const socket of open) socket.destroy();
  await new Promise((resolve) => terminator?.close(resolve));
  certs?.cleanup();
});

const clientOf = (props: Record<string, string>) => {
  resetSharedRegistryClients();
  const config = new ParsedConfig(defineSerdeConfig(new ConfigDef()), {
    'schema.registry.url': `https://localhost:${port}${registryPath}`,
    'schema.registry.request.timeout.ms': '5000',
    ...props,
  });
  return serdeSettings(config, false).client;
};

const keyStore = () => ({
  'schema.registry.ssl.keystore.location': certs.clientP12,
  'schema.registry.ssl.keystore.password': certs.storePassword,
});
const schema = (name: string) => ({
  schemaType: 'AVRO' as const,
  schema: JSON.stringify({ type: 'record', name, fields: [{ name: 'id', type: 'int' }] }),
  references: [],
});

describe('schema registry over TLS', () => {
  it('registers and fetches schemas with a PKCS12 trust store and a client certificate', async () => {
    const client = clientOf({
      'schema.registry.ssl.truststore.location': certs.caP12,
      'schema.registry.ssl.truststore.password': certs.storePassword,
      'schema.registry.ssl.truststore.type': 'PKCS12',
      ...keyStore(),
    });
    const name = `Tls${randomUUID().replace(/-/g, '')}`;
    const id = await client.register(`${name}-value`, schema(name));
    expect((await client.getById(id)).schema).toContain(name);
    // A PEM trust store and a PEM key store (chain + key in one file) work the same.
    const pem = `${certs.dir}/client-keystore.pem`;
    fs.writeFileSync(pem, fs.readFileSync(certs.clientCert, 'utf8') + fs.readFileSync(certs.clientKey, 'utf8'));
    const pemClient = clientOf({
      'schema.registry.ssl.truststore.location': certs.caCert,
      'schema.registry.ssl.keystore.location': pem,
    });
    expect(await pemClient.subjects()).toContain(`${name}-value`);
  });

  it('refuses a registry whose certificate is not signed by the trust store, without treating it as an outage', async () => {
    const client = clientOf({ 'schema.registry.ssl.truststore.location': certs.wrongCaCert, ...keyStore() });
    const err = await client.subjects().catch((e: Error & { retriable?: boolean }) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toContain(
      `Listing subjects: TLS connection to schema registry localhost:${port} refused: the server's certificate is not signed by a CA in schema.registry.ssl.truststore.location=${certs.wrongCaCert} (`,
    );
    expect(message).toMatch(
      /\)\. Set schema\.registry\.ssl\.truststore\.location to the CA certificate that signed the server's certificate\.$/,
    );
    expect((err as { retriable?: boolean }).retriable).toBe(false);
  });

  it('says when the registry wants a client certificate', async () => {
    const client = clientOf({ 'schema.registry.ssl.truststore.location': certs.caCert });
    await expect(client.subjects()).rejects.toThrow(
      /did not accept our client certificate; set schema\.registry\.ssl\.keystore\.location/,
    );
  });

  it('checks the host name unless schema.registry.ssl.endpoint.identification.algorithm is empty', async () => {
    const byIp = (extra: Record<string, string>) => {
      resetSharedRegistryClients();
      const config = new ParsedConfig(defineSerdeConfig(new ConfigDef()), {
        'schema.registry.url': `https://127.0.0.1:${port}${registryPath}`,
        'schema.registry.ssl.truststore.location': certs.caCert,
        ...keyStore(),
        ...extra,
      });
      return serdeSettings(config, false).client;
    };
    await expect(byIp({}).subjects()).rejects.toThrow(
      /schema registry 127\.0\.0\.1:\d+ refused: the server's certificate does not name the host "127\.0\.0\.1"/,
    );
    expect(await byIp({ 'schema.registry.ssl.endpoint.identification.algorithm': '' }).subjects()).toBeInstanceOf(
      Array,
    );
  });
});
