/** A throw-away CA and a server certificate for 127.0.0.1/localhost, made with the openssl CLI. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface TestCerts {
  dir: string;
  caPem: string;
  /** PEM keystore: private key then certificate chain (ssl.keystore.type=PEM). */
  pemKeystore: string;
  /** PKCS12 keystore protected by `p12Password`. */
  p12: string;
  p12Password: string;
}

export function makeCerts(dir: string, p12Password: string): TestCerts {
  fs.mkdirSync(dir, { recursive: true });
  const f = (n: string) => path.join(dir, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=tributary-test-ca',
  );
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('server.key'),
    '-out',
    f('server.csr'),
    '-subj',
    '/CN=localhost',
  );
  fs.writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl(
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('server.pem'),
    '-days',
    '2',
    '-extfile',
    f('san.ext'),
  );
  fs.writeFileSync(
    f('keystore.pem'),
    fs.readFileSync(f('server.key'), 'utf8') + fs.readFileSync(f('server.pem'), 'utf8'),
  );
  ssl(
    'pkcs12',
    '-export',
    '-in',
    f('server.pem'),
    '-inkey',
    f('server.key'),
    '-out',
    f('keystore.p12'),
    '-passout',
    `pass:${p12Password}`,
  );
  return { dir, caPem: f('ca.pem'), pemKeystore: f('keystore.pem'), p12: f('keystore.p12'), p12Password };
}
