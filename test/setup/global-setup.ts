/**
 * vitest globalSetup: makes sure real PostgreSQL, MariaDB and Kafka servers are up before any test
 * runs, and exports their addresses as TRIBUTARY_TEST_PG_URL, TRIBUTARY_TEST_MYSQL_URL and
 * TRIBUTARY_TEST_KAFKA_BROKERS (inherited by the test workers). A variable that is already set
 * points the suite at an existing server instead (e.g. `docker compose up`). Servers are left
 * running for the next run. A service that cannot be provisioned fails the run: never a skip.
 */
import { ensurePostgres } from './postgres.ts';
import { ensureMariadb } from './mariadb.ts';
import { ensureKafka } from './kafka.ts';
import { ensureSchemaRegistry } from './schema-registry.ts';
import { ensureS3 } from './s3.ts';
import path from 'node:path';
import { SERVICES_DIR } from './paths.ts';
import { log, withLock } from './shell.ts';
import { sweepLeftovers } from './sweep.ts';

const SERVICES = [
  { env: 'TRIBUTARY_TEST_PG_URL', name: 'PostgreSQL', ensure: ensurePostgres },
  { env: 'TRIBUTARY_TEST_MYSQL_URL', name: 'MariaDB', ensure: ensureMariadb },
  { env: 'TRIBUTARY_TEST_KAFKA_BROKERS', name: 'Kafka', ensure: ensureKafka },
  { env: 'TRIBUTARY_TEST_SCHEMA_REGISTRY_URL', name: 'Schema registry', ensure: ensureSchemaRegistry },
  { env: 'TRIBUTARY_TEST_S3_URL', name: 'S3', ensure: ensureS3 },
] as const;

export async function provisionTestServices(): Promise<Record<string, string>> {
  const t0 = Date.now();
  const results = await Promise.allSettled(
    SERVICES.map(async (s) => {
      if (process.env[s.env]) return process.env[s.env]!;
      const started = Date.now();
      const value = await withLock(
        path.join(SERVICES_DIR, 'locks', s.name.toLowerCase()),
        s.name.toLowerCase(),
        s.ensure,
      );
      log(s.name.toLowerCase(), `ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
      return value;
    }),
  );
  const failures: string[] = [];
  const env: Record<string, string> = {};
  results.forEach((r, i) => {
    const s = SERVICES[i];
    if (r.status === 'fulfilled') env[s.env] = r.value;
    else
      failures.push(`${s.name}: ${(r.reason as Error).message}\n  (to use an existing server instead, set ${s.env})`);
  });
  if (failures.length) throw new Error(`Test services could not be provisioned:\n${failures.join('\n')}`);
  log('all', `ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return env;
}

export default async function setup(): Promise<void> {
  const given = new Set<string>(SERVICES.map((s) => s.env).filter((name) => process.env[name]));
  const env = await provisionTestServices();
  Object.assign(process.env, env);
  await sweepLeftovers(Object.fromEntries(Object.entries(env).filter(([name]) => !given.has(name))));
}
