/**
 * Bench-only Kafka clients, installed on demand into bench/.clients/<name> (gitignored), so
 * `npm ci` of the project never depends on them:
 *  - @platformatic/kafka 1.x: its 2.x line requires Node.js >= 22.22; 1.35.0 is the newest for Node 20.
 *  - @confluentinc/kafka-javascript: its install fetches a prebuilt binary from GitHub, which this
 *    machine cannot reach, and it does not compile against Debian 12's librdkafka-dev (2.0.2; the
 *    binding uses librdkafka >= 2.3 APIs such as rd_kafka_DescribeTopics and rd_kafka_Uuid_t). So it
 *    is built from source with the librdkafka its npm tarball bundles (deps/librdkafka), linked
 *    dynamically against Debian's OpenSSL, zlib and zstd (CKJS_LINKING=dynamic): no download.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { aptInstall, log } from '../../test/setup/shell.ts';

const CLIENTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '.clients');

export const PLATFORMATIC_VERSION = '1.35.0';
export const CONFLUENT_VERSION = '1.10.1';
/** Debian packages the confluent build needs: compilers, node-gyp's Python, and the libraries librdkafka links. */
const CONFLUENT_BUILD_DEPS = [
  'g++',
  'make',
  'python3',
  'libssl-dev',
  'zlib1g-dev',
  'libzstd-dev',
  'liblz4-dev',
  'libsasl2-dev',
];

function installed(dir: string, pkg: string, version: string): boolean {
  const file = path.join(dir, 'node_modules', ...pkg.split('/'), 'package.json');
  return fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version === version;
}

function npmInstall(dir: string, pkg: string, version: string, env: NodeJS.ProcessEnv = {}): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      { name: `bench-client-${path.basename(dir)}`, private: true, dependencies: { [pkg]: version } },
      null,
      2,
    ) + '\n',
  );
  log('bench', `installing ${pkg}@${version} into ${dir}`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  if (r.status !== 0)
    throw new Error(
      `npm install ${pkg}@${version} in ${dir} failed (exit ${r.status}):\n${(r.stderr ?? '').slice(-4000)}`,
    );
}

export function ensurePlatformatic(): string {
  const dir = path.join(CLIENTS_DIR, 'platformatic');
  if (!installed(dir, '@platformatic/kafka', PLATFORMATIC_VERSION))
    npmInstall(dir, '@platformatic/kafka', PLATFORMATIC_VERSION);
  return dir;
}

export async function ensureConfluent(): Promise<string> {
  const dir = path.join(CLIENTS_DIR, 'confluent');
  const binding = path.join(
    dir,
    'node_modules',
    '@confluentinc',
    'kafka-javascript',
    'build',
    'Release',
    'confluent-kafka-javascript.node',
  );
  if (installed(dir, '@confluentinc/kafka-javascript', CONFLUENT_VERSION) && fs.existsSync(binding)) return dir;
  const missing = CONFLUENT_BUILD_DEPS.filter(
    (p) =>
      spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout?.includes(
        'install ok installed',
      ) !== true,
  );
  if (missing.length) await aptInstall(missing);
  fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
  npmInstall(dir, '@confluentinc/kafka-javascript', CONFLUENT_VERSION, {
    CKJS_LINKING: 'dynamic',
    npm_config_build_from_source: 'true',
  });
  if (!fs.existsSync(binding))
    throw new Error(
      `@confluentinc/kafka-javascript installed without its native binding (${binding}): the source build did not run`,
    );
  return dir;
}
