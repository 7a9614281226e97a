/**
 * Debian's chromium for the web console test (driven by playwright-core, which downloads no
 * browser of its own). Installed from Debian packages when missing, under a cross-process lock so
 * parallel test files do not run apt-get at once. A machine that cannot install it fails the test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SERVICES_DIR } from './paths.ts';
import { aptInstall, log, withLock } from './shell.ts';

export const CHROMIUM_PATH = process.env.TRIBUTARY_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for a headless run that talks to nothing but the page under test. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function ensureChromium(): Promise<string> {
  if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  await withLock(path.join(SERVICES_DIR, 'locks', 'chromium'), 'chromium', async () => {
    if (fs.existsSync(CHROMIUM_PATH)) return;
    log('chromium', 'installing Debian chromium');
    await aptInstall(['chromium']);
  });
  if (!fs.existsSync(CHROMIUM_PATH))
    throw new Error(
      `chromium was installed but ${CHROMIUM_PATH} does not exist; set TRIBUTARY_TEST_CHROMIUM to the browser binary`,
    );
  return CHROMIUM_PATH;
}
