/**
 * An S3-compatible HTTP server for the S3 sink's integration tests: moto's server (`moto[server]`
 * from PyPI) in a virtualenv under the services directory, on port 59333, in-memory. Any access
 * key is accepted (region us-east-1, path-style addressing). A server already answering on the
 * port is reused. Tests that need the server to go away put a TcpProxy in front of it rather than
 * stopping it (moto keeps buckets in memory, and other test files share it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { SERVICES_DIR } from './paths.ts';
import { aptInstall, log, portOpen, runAsync, startDetached, waitUntil, which } from './shell.ts';

export const S3_PORT = 59333;
export const S3_URL = `http://127.0.0.1:${S3_PORT}`;
/** moto accepts any credentials; these are what the tests sign with. */
export const S3_TEST_CREDENTIALS = { accessKeyId: 'tributary', secretAccessKey: 'tributary-secret' } as const;

/** The S3 endpoint for tests (TRIBUTARY_TEST_S3_URL, set by the global setup). */
export function testS3Url(): string {
  const v = process.env.TRIBUTARY_TEST_S3_URL;
  if (!v)
    throw new Error(
      'TRIBUTARY_TEST_S3_URL is not set: run the suite through `npm test` (its global setup provisions the servers) or set it to an S3-compatible endpoint',
    );
  return v;
}

async function answers(): Promise<boolean> {
  // ListBuckets, unsigned: moto answers with XML (200) whatever the credentials.
  const res = await fetch(`${S3_URL}/`, { signal: AbortSignal.timeout(2000) });
  return res.status < 500 && (await res.text()).includes('ListAllMyBucketsResult');
}

/** The virtualenv with moto's server, created once (pip resolves `moto[server]` from PyPI). */
async function motoServerBin(base: string): Promise<string> {
  const venv = path.join(base, 'venv');
  const bin = path.join(venv, 'bin', 'moto_server');
  if (fs.existsSync(bin)) return bin;
  if (!which('python3')) await aptInstall(['python3', 'python3-venv']);
  fs.rmSync(venv, { recursive: true, force: true });
  try {
    await runAsync('python3', ['-m', 'venv', venv]);
  } catch {
    await aptInstall(['python3-venv']);
    fs.rmSync(venv, { recursive: true, force: true });
    await runAsync('python3', ['-m', 'venv', venv]);
  }
  log('s3', 'installing moto[server] from PyPI into ' + venv);
  await runAsync(path.join(venv, 'bin', 'pip'), ['install', '-q', '--disable-pip-version-check', 'moto[server]']);
  if (!fs.existsSync(bin)) throw new Error(`pip installed moto[server] but ${bin} is missing`);
  return bin;
}

export async function ensureS3(): Promise<string> {
  const base = path.join(SERVICES_DIR, 's3');
  const logFile = path.join(base, 'server.log');
  if (await portOpen(S3_PORT)) {
    await waitUntil('S3 server (moto)', answers, 60_000, logFile);
    log('s3', `reusing the S3 server on port ${S3_PORT}`);
    return S3_URL;
  }
  fs.mkdirSync(base, { recursive: true });
  const bin = await motoServerBin(base);
  log('s3', `starting moto_server on port ${S3_PORT}`);
  startDetached(bin, ['-H', '127.0.0.1', '-p', String(S3_PORT)], logFile, { cwd: base });
  await waitUntil('S3 server (moto)', answers, 60_000, logFile);
  return S3_URL;
}
