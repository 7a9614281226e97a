/**
 * pyarrow (Apache Arrow's C++ Parquet reader, from PyPI) in a virtualenv under the services
 * directory, for tests that read the S3 sink's Parquet files with a third, non-JavaScript reader.
 * Provisioned on first use by the test that needs it (about 200 MB, a few minutes on a fresh
 * machine), under a lock so parallel test files install it once; later runs reuse it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SERVICES_DIR } from './paths.ts';
import { aptInstall, log, runAsync, which, withLock } from './shell.ts';

/** The venv's python with pyarrow importable. */
export async function ensurePyarrow(): Promise<string> {
  const base = path.join(SERVICES_DIR, 'pyarrow');
  const venv = path.join(base, 'venv');
  const python = path.join(venv, 'bin', 'python');
  const ready = path.join(base, 'installed');
  if (fs.existsSync(ready)) return python;
  return withLock(path.join(SERVICES_DIR, 'locks', 'pyarrow'), 'pyarrow', async () => {
    if (fs.existsSync(ready)) return python;
    fs.mkdirSync(base, { recursive: true });
    if (!which('python3')) await aptInstall(['python3', 'python3-venv']);
    if (!fs.existsSync(python)) {
      try {
        await runAsync('python3', ['-m', 'venv', venv]);
      } catch {
        await aptInstall(['python3-venv']);
        fs.rmSync(venv, { recursive: true, force: true });
        await runAsync('python3', ['-m', 'venv', venv]);
      }
    }
    log('pyarrow', 'installing pyarrow from PyPI into ' + venv);
    await runAsync(path.join(venv, 'bin', 'pip'), ['install', '-q', '--disable-pip-version-check', 'pyarrow']);
    await runAsync(python, ['-c', 'import pyarrow.parquet']);
    fs.writeFileSync(ready, new Date().toISOString() + '\n');
    return python;
  });
}
