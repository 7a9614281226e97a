/**
 * `tributary consume` decodes with the worker's converters and the schema registry: Avro records
 * (Confluent wire format, schema id in the registry) on the embedded log print as plain JSON, and
 * `--value-converter json` shows what a converter that cannot read them reports.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { testSchemaRegistryUrl } from '../../setup/env.ts';
import { startStandaloneWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { AvroConverter } from '../../../runtime/converters/avro/avro-converter.ts';
import { SchemaBuilder } from '../../../runtime/data/schema.ts';
import { Struct } from '../../../runtime/data/struct.ts';
import { main } from '../../../cli/main.ts';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) =>
    new Writable({
      write(chunk, _e, cb) {
        f(String(chunk));
        cb();
      },
    });
  const code = await main(argv, {
    stdout: sink((s) => {
      out += s;
    }),
    stderr: sink((s) => {
      err += s;
    }),
  });
  return { code, out, err };
}

describe('consume with the schema registry', () => {
  it('prints Avro records decoded through the registry as JSON', async () => {
    const topic = `avro-${randomBytes(4).toString('hex')}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-avro-console-'));
    const registry = { 'value.converter.schema.registry.url': testSchemaRegistryUrl() };
    const worker = await startStandaloneWorker(
      {
        listeners: 'http://127.0.0.1:0',
        'tributary.data.dir': path.join(dir, 'data'),
        'tributary.log.sync': 'os',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'io.confluent.connect.avro.AvroConverter',
        ...registry,
      },
      { logger: silentLogger },
    );
    try {
      const schema = SchemaBuilder.struct()
        .name('inventory.Customer')
        .field('id', SchemaBuilder.int32().build())
        .field('email', SchemaBuilder.string().optional().build())
        .build();
      const avro = new AvroConverter();
      avro.configure({ 'schema.registry.url': testSchemaRegistryUrl() }, false);
      const rows = [
        [1, 'sally@example.com'],
        [2, null],
      ] as const;
      const records = [];
      for (const [id, email] of rows) {
        const s = new Struct(schema).put('id', id).put('email', email);
        records.push({ key: Buffer.from(String(id)), value: (await avro.fromConnectData(topic, schema, s)) as Buffer });
      }
      expect(records[0].value[0]).toBe(0); // Confluent wire format: magic byte, then the schema id
      await worker.embedded.log.append([{ topic, partition: 0, records }]);

      const decoded = await cli(['consume', topic, '--url', worker.url]);
      expect(decoded.code, decoded.err).toBe(0);
      const lines = decoded.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { key: unknown; value: unknown; value_error?: string });
      expect(lines.map((l) => [l.key, l.value, l.value_error])).toEqual([
        ['1', { id: 1, email: 'sally@example.com' }, undefined],
        ['2', { id: 2, email: null }, undefined],
      ]);

      const asJson = await cli([
        'consume',
        topic,
        '--url',
        worker.url,
        '--value-converter',
        'json',
        '--max-messages',
        '1',
      ]);
      expect(JSON.parse(asJson.out).value_error).toMatch(/JSON|json|token/);
    } finally {
      await worker.stop();
    }
  }, 120_000);
});
