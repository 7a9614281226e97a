/**
 * Certificates made by the tests with the openssl CLI in a temporary directory: a CA, a server
 * certificate it signs (by default for `localhost` only, so connecting by 127.0.0.1 is a host the
 * certificate does not name), a client certificate, and an unrelated "wrong" CA with the same
 * name, as PEM files and PKCS12 stores. Files are readable by everyone so database servers running
 * as their own user can read them (PostgreSQL gets its own 0600 copy of the key).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestCerts {
  dir: string;
  caCert: string;
  caKey: string;
  /** A CA that signed nothing here: trusting it must refuse the servers. */
  wrongCaCert: string;
  serverCert: string;
  serverKey: string;
  /** Server certificate + key in one PKCS12 file (password `storePassword`). */
  serverP12: string;
  clientCert: string;
  clientKey: string;
  /** Client certificate + key in one PKCS12 file (password `storePassword`). */
  clientP12: string;
  /** The CA in a trust-only PKCS12 file (password `storePassword`). */
  caP12: string;
  storePassword: string;
  clientCn: string;
  cleanup(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

export function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/**
 * `serverNames`: DNS names and IPs the server certificate is for (default `localhost`);
 * `clientCn`: the client certificate's common name (PostgreSQL's cert auth maps it to the user).
 */
export function makeTestCerts(opts: { serverNames?: string[]; clientCn?: string } = {}): TestCerts {
  if (!opensslAvailable())
    throw new Error('the openssl CLI is needed to make test certificates: apt-get install openssl');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-certs-'));
  fs.chmodSync(dir, 0o755);
  const names = opts.serverNames ?? ['localhost'];
  const san = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  const clientCn = opts.clientCn ?? 'tributary-client';
  const password = 'store-secret';
  const days = '2';
  for (const [name, cn] of [
    ['ca', 'Tributary Test CA'],
    ['wrong-ca', 'Tributary Test CA'],
  ]) {
    openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.crt`,
        '-days',
        days,
        '-subj',
        `/CN=${cn}`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
      dir,
    );
  }
  const issue = (name: string, subject: string, ext: string): void => {
    openssl(
      ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject],
      dir,
    );
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.crt`,
        '-days',
        days,
        '-extfile',
        `${name}.ext`,
      ],
      dir,
    );
  };
  issue(
    'server',
    `/CN=${names[0]}`,
    `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`,
  );
  issue(
    'client',
    `/CN=${clientCn}`,
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n',
  );
  openssl(
    [
      'pkcs12',
      '-export',
      '-in',
      'server.crt',
      '-inkey',
      'server.key',
      '-certfile',
      'ca.crt',
      '-name',
      'server',
      '-out',
      'server.p12',
      '-passout',
      `pass:${password}`,
    ],
    dir,
  );
  openssl(
    [
      'pkcs12',
      '-export',
      '-in',
      'client.crt',
      '-inkey',
      'client.key',
      '-certfile',
      'ca.crt',
      '-name',
      'client',
      '-out',
      'client.p12',
      '-passout',
      `pass:${password}`,
    ],
    dir,
  );
  openssl(['pkcs12', '-export', '-nokeys', '-in', 'ca.crt', '-out', 'ca.p12', '-passout', `pass:${password}`], dir);
  for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644);
  const p = (f: string) => path.join(dir, f);
  return {
    dir,
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    wrongCaCert: p('wrong-ca.crt'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    serverP12: p('server.p12'),
    clientCert: p('client.crt'),
    clientKey: p('client.key'),
    clientP12: p('client.p12'),
    caP12: p('ca.p12'),
    storePassword: password,
    clientCn,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Copies the server key and certificate into `dir` owned by `uid`/`gid` with the key at 0600 (PostgreSQL insists). */
export function installServerKeyPair(
  certs: TestCerts,
  dir: string,
  owner: { uid: number; gid: number },
): { cert: string; key: string; ca: string } {
  const out = { cert: path.join(dir, 'server.crt'), key: path.join(dir, 'server.key'), ca: path.join(dir, 'ca.crt') };
  fs.copyFileSync(certs.serverCert, out.cert);
  fs.copyFileSync(certs.serverKey, out.key);
  fs.copyFileSync(certs.caCert, out.ca);
  for (const f of Object.values(out)) fs.chownSync(f, owner.uid, owner.gid);
  fs.chmodSync(out.key, 0o600);
  return out;
}
