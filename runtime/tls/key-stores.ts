/**
 * Reads the trust and key stores that Java clients are configured with (PKCS12 or PEM files) into
 * the PEM strings Node's TLS takes. The format is recognised from the file's content, so a
 * PKCS12 file declared as the Java default type JKS still works. Java's own JKS/JCEKS formats are
 * refused with the keytool command that converts them. Every error names the key that points at
 * the file and says what to fix; passwords never appear in a message.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type Forge from 'node-forge';
import { ConfigException } from '../errors.ts';

export type StoreFormat = 'PEM' | 'PKCS12' | 'JKS' | 'JCEKS' | 'DER';

/** The keys a store was configured with, so errors name them. */
export interface StoreRef {
  /** Config key holding the path, e.g. `ssl.truststore.location`. */
  key: string;
  path: string;
  /** Config key of the store password, e.g. `ssl.truststore.password`. */
  passwordKey?: string;
  password?: string | null;
  /** Declared type (`ssl.truststore.type`): PEM, PKCS12, JKS; null = recognise from the content. */
  type?: string | null;
  typeKey?: string;
}

export interface ClientIdentity {
  /** PEM certificate chain, leaf first. */
  cert: string;
  /** PEM private key (decrypted when it came from a PKCS12 file). */
  key: string;
  /** Passphrase of an encrypted PEM key. */
  passphrase?: string;
}

let forgeModule: typeof Forge | undefined;

/** node-forge (PKCS12 and DER parsing), required on the first store that needs it, not when the module loads. */
function forgeLib(): typeof Forge {
  return (forgeModule ??= createRequire(import.meta.url)('node-forge') as typeof Forge);
}

const JKS_MAGIC = 0xfeedfeed;
const JCEKS_MAGIC = 0xcececece;

export function detectStoreFormat(data: Buffer): StoreFormat {
  if (data.length >= 4 && data.readUInt32BE(0) === JKS_MAGIC) return 'JKS';
  if (data.length >= 4 && data.readUInt32BE(0) === JCEKS_MAGIC) return 'JCEKS';
  if (data.includes('-----BEGIN ')) return 'PEM';
  // A DER SEQUENCE: a PKCS12 PFX starts with an INTEGER version 3; anything else is a bare DER object.
  if (data[0] === 0x30) return looksLikePfx(data) ? 'PKCS12' : 'DER';
  return 'DER';
}

function looksLikePfx(data: Buffer): boolean {
  try {
    const asn1 = forgeLib().asn1.fromDer(forgeLib().util.createBuffer(data.toString('binary')));
    const first = (asn1.value as Forge.asn1.Asn1[])[0];
    return first?.type === forgeLib().asn1.Type.INTEGER && forgeLib().util.bytesToHex(first.value as string) === '03';
  } catch {
    return false;
  }
}

function readStoreFile(ref: StoreRef): Buffer {
  try {
    return fs.readFileSync(ref.path);
  } catch (err) {
    const why =
      (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'does not exist'
        : `cannot be read (${(err as Error).message})`;
    throw new ConfigException(`${ref.key}=${ref.path} ${why}; give the path of a readable PEM or PKCS12 file`, {
      key: ref.key,
    });
  }
}

function refuseJavaStore(ref: StoreRef, format: 'JKS' | 'JCEKS', kind: 'truststore' | 'keystore'): never {
  const out = ref.path.replace(/\.(jks|jceks|keystore|truststore)$/i, '') + '.p12';
  throw new ConfigException(
    `${ref.key}=${ref.path} is a Java ${format} ${kind}, which Node.js cannot read. Convert it to PKCS12 with ` +
      `\`keytool -importkeystore -srckeystore ${ref.path} -srcstoretype ${format} -destkeystore ${out} -deststoretype PKCS12\`, ` +
      `then set ${ref.key}=${out}${ref.typeKey ? ` and ${ref.typeKey}=PKCS12` : ''}` +
      `${kind === 'truststore' ? ' (or export the CA certificates to a PEM file)' : ''}.`,
    { key: ref.key },
  );
}

function checkDeclaredType(ref: StoreRef, actual: StoreFormat): void {
  const declared = ref.type?.trim().toUpperCase();
  if (!declared) return;
  if (!['PEM', 'PKCS12', 'JKS', 'JCEKS'].includes(declared)) {
    throw new ConfigException(
      `Invalid value ${ref.type} for configuration ${ref.typeKey ?? 'type'}: use PEM or PKCS12`,
      { key: ref.typeKey ?? ref.key },
    );
  }
  // Java's JKS keystore type reads PKCS12 files too, so only a PEM/binary mismatch is an error.
  if ((declared === 'PEM') !== (actual === 'PEM')) {
    throw new ConfigException(
      `${ref.key}=${ref.path} is a ${actual === 'PEM' ? 'PEM' : 'binary (PKCS12/DER)'} file but ${ref.typeKey ?? 'its type'} is ${declared}; set ${ref.typeKey ?? 'the type'}=${actual === 'PEM' ? 'PEM' : 'PKCS12'}`,
      { key: ref.typeKey ?? ref.key },
    );
  }
}

function parsePkcs12(ref: StoreRef, data: Buffer): Forge.pkcs12.Pkcs12Pfx {
  let asn1: Forge.asn1.Asn1;
  try {
    asn1 = forgeLib().asn1.fromDer(forgeLib().util.createBuffer(data.toString('binary')));
  } catch (err) {
    throw new ConfigException(`${ref.key}=${ref.path} is not a valid PKCS12 file (${(err as Error).message})`, {
      key: ref.key,
    });
  }
  const password = ref.password ?? '';
  try {
    return forgeLib().pkcs12.pkcs12FromAsn1(asn1, password);
  } catch (err) {
    const msg = (err as Error).message;
    if (/MAC could not be verified|Invalid password|decrypt/i.test(msg) || !ref.password) {
      throw new ConfigException(
        `${ref.key}=${ref.path} could not be opened: ${ref.password ? `the password in ${ref.passwordKey ?? 'the password key'} is wrong` : `it needs a password; set ${ref.passwordKey ?? 'the password'}`}`,
        { key: ref.passwordKey ?? ref.key },
      );
    }
    throw new ConfigException(`${ref.key}=${ref.path} could not be read as PKCS12 (${msg})`, { key: ref.key });
  }
}

function bagsOf(p12: Forge.pkcs12.Pkcs12Pfx, type: string): Forge.pkcs12.Bag[] {
  return p12.getBags({ bagType: type })[type] ?? [];
}

function certPem(bag: Forge.pkcs12.Bag): string | null {
  if (bag.cert) return forgeLib().pki.certificateToPem(bag.cert);
  // forge cannot decode some certificates (e.g. EC keys); the raw DER still is a valid certificate.
  if (bag.asn1) return derToPem(Buffer.from(forgeLib().asn1.toDer(bag.asn1).getBytes(), 'binary'), 'CERTIFICATE');
  return null;
}

function derToPem(der: Buffer, label: string): string {
  const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

/** The PEM blocks with the given label(s) in a text. */
function pemBlocks(text: string, labels: RegExp): string[] {
  const out: string[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) if (labels.test(m[1])) out.push(m[0] + '\n');
  return out;
}

/** The CA certificates of a trust store (PEM, PKCS12 or a single DER certificate). */
export function readTrustStore(ref: StoreRef): string[] {
  const data = readStoreFile(ref);
  const format = detectStoreFormat(data);
  if (format === 'JKS' || format === 'JCEKS') refuseJavaStore(ref, format, 'truststore');
  checkDeclaredType(ref, format);
  let certs: string[];
  if (format === 'PEM') certs = pemBlocks(data.toString('utf8'), /^(X509 |TRUSTED )?CERTIFICATE$/);
  else if (format === 'PKCS12') {
    const p12 = parsePkcs12(ref, data);
    certs = bagsOf(p12, forgeLib().pki.oids.certBag)
      .map(certPem)
      .filter((c): c is string => c !== null);
  } else {
    try {
      certs = [new crypto.X509Certificate(data).toString()];
    } catch {
      throw new ConfigException(
        `${ref.key}=${ref.path} is neither a PEM file, a PKCS12 file nor a DER certificate; give the CA certificates as PEM`,
        { key: ref.key },
      );
    }
  }
  if (certs.length === 0)
    throw new ConfigException(
      `${ref.key}=${ref.path} holds no certificate; give the CA certificate(s) that signed the server's certificate`,
      { key: ref.key },
    );
  for (const c of certs) {
    try {
      new crypto.X509Certificate(c);
    } catch (err) {
      throw new ConfigException(
        `${ref.key}=${ref.path} holds a certificate that cannot be parsed (${(err as Error).message})`,
        { key: ref.key },
      );
    }
  }
  return certs;
}

/**
 * A client certificate and key from a key store: a PKCS12 file (key decrypted with the store
 * password, or `keyPassword` when given) or a PEM file holding the chain and the key.
 */
export function readKeyStore(
  ref: StoreRef,
  keyPassword?: { key: string; value: string | null | undefined },
): ClientIdentity {
  const data = readStoreFile(ref);
  const format = detectStoreFormat(data);
  if (format === 'JKS' || format === 'JCEKS') refuseJavaStore(ref, format, 'keystore');
  checkDeclaredType(ref, format);
  if (format === 'PEM') {
    const text = data.toString('utf8');
    const certs = pemBlocks(text, /^(X509 )?CERTIFICATE$/);
    const keys = pemBlocks(text, /PRIVATE KEY$/);
    if (certs.length === 0 || keys.length === 0) {
      throw new ConfigException(
        `${ref.key}=${ref.path} must hold the client certificate chain and its private key in PEM (found ${certs.length} certificate(s), ${keys.length} key(s))`,
        { key: ref.key },
      );
    }
    const passphrase = keyPassword?.value || ref.password || undefined;
    checkPrivateKey(keys[0], passphrase, ref, keyPassword?.key);
    return { cert: certs.join(''), key: keys[0], ...(passphrase ? { passphrase } : {}) };
  }
  if (format !== 'PKCS12')
    throw new ConfigException(`${ref.key}=${ref.path} is neither a PEM nor a PKCS12 key store`, { key: ref.key });
  const p12 = parsePkcs12(ref, data);
  const keyBags = [...bagsOf(p12, forgeLib().pki.oids.pkcs8ShroudedKeyBag), ...bagsOf(p12, forgeLib().pki.oids.keyBag)];
  const keyBag = keyBags.find((b) => b.key);
  if (!keyBag?.key)
    throw new ConfigException(
      `${ref.key}=${ref.path} holds no private key; a key store needs the client's certificate and private key`,
      { key: ref.key },
    );
  const certs = bagsOf(p12, forgeLib().pki.oids.certBag);
  const localId = keyBag.attributes?.localKeyId?.[0];
  const leaf = certs.find((c) => localId !== undefined && c.attributes?.localKeyId?.[0] === localId) ?? certs[0];
  if (!leaf)
    throw new ConfigException(`${ref.key}=${ref.path} holds no certificate for its private key`, { key: ref.key });
  const chain = [leaf, ...certs.filter((c) => c !== leaf)].map(certPem).filter((c): c is string => c !== null);
  return { cert: chain.join(''), key: forgeLib().pki.privateKeyToPem(keyBag.key) };
}

/**
 * A client key file (PEM, PKCS8 DER, or PKCS12 like pgjdbc's `.p12`/`.pfx`), e.g. database.sslkey.
 * Returns the PEM key and its passphrase.
 */
export function readPrivateKeyFile(
  key: string,
  path: string,
  password: { key: string; value: string | null | undefined },
): { key: string; passphrase?: string; cert?: string } {
  const data = readStoreFile({ key, path });
  const format = detectStoreFormat(data);
  if (format === 'PKCS12') {
    const id = readKeyStore({ key, path, password: password.value, passwordKey: password.key });
    return { key: id.key, cert: id.cert };
  }
  if (format === 'PEM') {
    const keys = pemBlocks(data.toString('utf8'), /PRIVATE KEY$/);
    if (keys.length === 0) throw new ConfigException(`${key}=${path} holds no PEM private key`, { key });
    checkPrivateKey(keys[0], password.value ?? undefined, { key, path }, password.key);
    return { key: keys[0], ...(password.value ? { passphrase: password.value } : {}) };
  }
  try {
    const k = crypto.createPrivateKey({
      key: data,
      format: 'der',
      type: 'pkcs8',
      ...(password.value ? { passphrase: password.value } : {}),
    });
    return { key: k.export({ format: 'pem', type: 'pkcs8' }).toString() };
  } catch {
    throw new ConfigException(
      `${key}=${path} is not a private key in PEM, PKCS-8 DER or PKCS12 (or ${password.key} is wrong)`,
      { key },
    );
  }
}

/** A certificate file (PEM chain or one DER certificate), e.g. database.sslcert. */
export function readCertificateFile(key: string, path: string): string {
  return readTrustStore({ key, path }).join('');
}

function checkPrivateKey(
  pem: string,
  passphrase: string | undefined,
  ref: StoreRef,
  passwordKey: string | undefined,
): void {
  try {
    crypto.createPrivateKey({ key: pem, ...(passphrase ? { passphrase } : {}) });
  } catch (err) {
    const encrypted = /ENCRYPTED/.test(pem);
    const pk = passwordKey ?? ref.passwordKey ?? 'the key password';
    throw new ConfigException(
      encrypted
        ? `${ref.key}=${ref.path}: the private key is encrypted and ${passphrase ? `the password in ${pk} is wrong` : `no password is set; set ${pk}`}`
        : `${ref.key}=${ref.path}: the private key cannot be read (${(err as Error).message})`,
      { key: encrypted ? pk : ref.key },
    );
  }
}

/**
 * Runs a TLS settings reader at validation time and files its ConfigException under the key it
 * names, so a missing or unreadable store is a 400 at create time rather than a failed task.
 * Skipped when the TLS keys already have errors; other failures are left to the normal checks.
 */
export function addTlsValidationErrors(
  values: Array<{ name: string; value: unknown; errorMessages: string[] }>,
  tlsKeys: string[],
  read: () => unknown,
): void {
  if (values.some((v) => tlsKeys.includes(v.name) && v.errorMessages.length > 0)) return;
  try {
    read();
  } catch (err) {
    if (!(err instanceof ConfigException) || !err.key || !tlsKeys.includes(err.key)) return;
    const target = values.find((v) => v.name === err.key);
    if (target) target.errorMessages.push(err.message);
  }
}
