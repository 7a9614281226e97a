import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { makeTestCerts, type TestCerts } from '../../test/helpers/test-certs.ts';
import { looksSecret } from '../config/config-def.ts';
import { detectStoreFormat, readKeyStore, readPrivateKeyFile, readTrustStore } from './key-stores.ts';
import { describeTlsFailure, type TlsContext } from './tls-errors.ts';

let certs: TestCerts;
beforeAll(() => {
  certs = makeTestCerts();
});
afterAll(() => certs.cleanup());

const trust = (file: string, extra: Partial<Parameters<typeof readTrustStore>[0]> = {}) =>
  readTrustStore({
    key: 'ssl.truststore.location',
    path: file,
    passwordKey: 'ssl.truststore.password',
    typeKey: 'ssl.truststore.type',
    ...extra,
  });

describe('trust stores', () => {
  it('reads PEM, PKCS12 and DER into the same CA certificate', () => {
    const fp = (pems: string[]) => pems.map((p) => new X509Certificate(p).fingerprint256);
    const pem = fp(trust(certs.caCert));
    expect(pem).toHaveLength(1);
    expect(fp(trust(certs.caP12, { password: certs.storePassword }))).toEqual(pem);
    const der = path.join(certs.dir, 'ca.der');
    fs.writeFileSync(der, new X509Certificate(fs.readFileSync(certs.caCert)).raw);
    expect(fp(trust(der))).toEqual(pem);
    // Java's default type JKS is accepted for a PKCS12 file, as Java's keystore.type.compat does.
    expect(fp(trust(certs.caP12, { password: certs.storePassword, type: 'JKS' }))).toEqual(pem);
  });

  it('names the key and the fix for a missing file, a missing or wrong password, and a type mismatch', () => {
    expect(() => trust('/nonexistent/ca.pem')).toThrow(
      'ssl.truststore.location=/nonexistent/ca.pem does not exist; give the path of a readable PEM or PKCS12 file',
    );
    expect(() => trust(certs.caP12)).toThrow(
      `ssl.truststore.location=${certs.caP12} could not be opened: it needs a password; set ssl.truststore.password`,
    );
    expect(() => trust(certs.caP12, { password: 'nope' })).toThrow(
      `ssl.truststore.location=${certs.caP12} could not be opened: the password in ssl.truststore.password is wrong`,
    );
    expect(() => trust(certs.caP12, { password: certs.storePassword, type: 'PEM' })).toThrow(
      /is a binary \(PKCS12\/DER\) file but ssl\.truststore\.type is PEM; set ssl\.truststore\.type=PKCS12/,
    );
    const empty = path.join(certs.dir, 'empty.pem');
    fs.writeFileSync(empty, '-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n');
    expect(() => trust(empty)).toThrow(/holds no certificate/);
  });

  it('refuses Java JKS and JCEKS stores with the keytool command converting them', () => {
    const jks = path.join(certs.dir, 'truststore.jks');
    fs.writeFileSync(jks, Buffer.from('feedfeed000000020000000000', 'hex'));
    expect(detectStoreFormat(fs.readFileSync(jks))).toBe('JKS');
    expect(() => trust(jks)).toThrow(
      `ssl.truststore.location=${jks} is a Java JKS truststore, which Node.js cannot read. Convert it to PKCS12 with \`keytool -importkeystore -srckeystore ${jks} -srcstoretype JKS -destkeystore ${path.join(certs.dir, 'truststore.p12')} -deststoretype PKCS12\`, then set ssl.truststore.location=${path.join(certs.dir, 'truststore.p12')} and ssl.truststore.type=PKCS12`,
    );
    const jceks = path.join(certs.dir, 'store.jceks');
    fs.writeFileSync(jceks, Buffer.from('cececece00000002', 'hex'));
    expect(() => readKeyStore({ key: 'ssl.keystore.location', path: jceks })).toThrow(
      /is a Java JCEKS keystore.*-srcstoretype JCEKS/,
    );
  });
});

describe('key stores and key files', () => {
  it('reads a PKCS12 key store into a certificate chain and key Node accepts', () => {
    const id = readKeyStore({
      key: 'ssl.keystore.location',
      path: certs.clientP12,
      password: certs.storePassword,
      passwordKey: 'ssl.keystore.password',
    });
    expect(id.cert).toContain('BEGIN CERTIFICATE');
    expect(() => tls.createSecureContext({ cert: id.cert, key: id.key })).not.toThrow();
  });

  it('reads a PEM key store with the chain and the key; says what is missing otherwise', () => {
    const pem = path.join(certs.dir, 'ks.pem');
    fs.writeFileSync(pem, fs.readFileSync(certs.clientCert, 'utf8') + fs.readFileSync(certs.clientKey, 'utf8'));
    const id = readKeyStore({ key: 'ssl.keystore.location', path: pem });
    expect(() => tls.createSecureContext({ cert: id.cert, key: id.key })).not.toThrow();
    expect(() => readKeyStore({ key: 'ssl.keystore.location', path: certs.clientCert })).toThrow(
      /must hold the client certificate chain and its private key in PEM \(found 1 certificate\(s\), 0 key\(s\)\)/,
    );
  });

  it('reads pgjdbc-style key files: PEM, PKCS-8 DER, PKCS12 with its password', () => {
    expect(
      readPrivateKeyFile('database.sslkey', certs.clientKey, { key: 'database.sslpassword', value: null }).key,
    ).toContain('PRIVATE KEY');
    const p12 = readPrivateKeyFile('database.sslkey', certs.clientP12, {
      key: 'database.sslpassword',
      value: certs.storePassword,
    });
    expect(p12.cert).toContain('BEGIN CERTIFICATE');
    expect(() =>
      readPrivateKeyFile('database.sslkey', certs.clientP12, { key: 'database.sslpassword', value: null }),
    ).toThrow(/needs a password; set database\.sslpassword/);
  });

  it('treats the TLS passwords as secrets by name', () => {
    for (const k of [
      'database.sslpassword',
      'database.ssl.truststore.password',
      'database.ssl.keystore.password',
      'producer.ssl.key.password',
      'schema.registry.ssl.keystore.password',
    ])
      expect(looksSecret(k)).toBe(true);
  });
});

describe('TLS failure messages', () => {
  const ctx: TlsContext = {
    server: 'PostgreSQL server db:5432',
    host: 'db',
    caKey: 'database.sslrootcert',
    caValue: '/ca.pem',
    modeKey: 'database.sslmode',
    mode: 'verify-full',
    noHostCheck: 'set database.sslmode=verify-ca to check only the CA',
    clientCertKey: 'database.sslcert',
  };
  const err = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

  it('says which server, what was refused and which key to fix', () => {
    expect(
      describeTlsFailure(err('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'), ctx),
    ).toBe(
      "TLS connection to PostgreSQL server db:5432 refused: the server's certificate is not signed by a CA in database.sslrootcert=/ca.pem (self-signed certificate in certificate chain). Set database.sslrootcert to the CA certificate that signed the server's certificate.",
    );
    // mysql2 replaces the code; the OpenSSL reason still tells.
    expect(
      describeTlsFailure(err('unable to verify the first certificate', 'HANDSHAKE_SSL_ERROR'), {
        ...ctx,
        caValue: null,
      }),
    ).toContain('not signed by a CA in the system CA store (database.sslrootcert is not set)');
    expect(
      describeTlsFailure(
        Object.assign(
          err(
            "Hostname/IP does not match certificate's altnames: Host: db. is not in the cert's altnames: DNS:other",
            'ERR_TLS_CERT_ALTNAME_INVALID',
          ),
          { reason: "Host: db. is not in the cert's altnames: DNS:other" },
        ),
        ctx,
      ),
    ).toBe(
      `TLS connection to PostgreSQL server db:5432 refused: the server's certificate does not name the host "db" (Host: db. is not in the cert's altnames: DNS:other); database.sslmode=verify-full checks the host name. Connect by a name the certificate lists, give the server a certificate for "db", or set database.sslmode=verify-ca to check only the CA.`,
    );
    expect(describeTlsFailure(err('certificate has expired', 'CERT_HAS_EXPIRED'), ctx)).toContain(
      'outside its validity period',
    );
    expect(
      describeTlsFailure(
        err(
          'error:0A00045C:SSL routines::tlsv13 alert certificate required',
          'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
        ),
        ctx,
      ),
    ).toContain('did not accept our client certificate; set database.sslcert');
  });

  it('leaves other failures alone', () => {
    expect(describeTlsFailure(err('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), ctx)).toBeNull();
    expect(describeTlsFailure(err('password authentication failed for user "x"', '28P01'), ctx)).toBeNull();
  });
});
