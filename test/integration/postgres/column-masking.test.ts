/**
 * Column mappers on PostgreSQL as Debezium's ColumnMappers: the first matching rule only, the value
 * field marked (masked=true / truncateLength), the key keeping the real value and schema.
 */
import { describe, it, expect, afterAll } from 'vitest';
import type { Struct } from '../../../runtime/data/struct.ts';
import { createPgTestDb, startDirectTask, uniqueName, type PgTestDb } from './helpers.ts';

const dbs: PgTestDb[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop();
});

describe('PostgreSQL column masking', () => {
  it('applies the first matching rule, marks value fields and leaves keys unmasked', async () => {
    const db = await createPgTestDb('pgmask');
    dbs.push(db);
    await db.query('CREATE TABLE public.m (code text PRIMARY KEY, note varchar(40), n int, empty text)');
    await db.query(`INSERT INTO public.m VALUES ('k-1', 'hello world', 7, NULL)`);
    const config = db.connectorConfig({
      'slot.name': uniqueName('mask'),
      'snapshot.mode': 'initial_only',
      'table.include.list': 'public\\.m',
      // note matches both: only the truncation (registered first) applies, as Debezium's mapperFor.
      'column.truncate.to.3.chars': 'public\\.m\\.note',
      'column.mask.with.4.chars': 'public\\.m\\.(code|note|n|empty)',
    });
    const task = await startDirectTask(config, null);
    try {
      const [r] = await task.pollUntil(1);
      const after = (r.value as Struct).get('after') as Struct;
      expect(after.get('note')).toBe('hel');
      expect(after.get('code')).toBe('****');
      expect(after.get('n')).toBe(7); // not a character column: value unchanged
      expect(after.get('empty')).toBe('****'); // a fixed mask replaces NULL too
      const field = (name: string) => after.schema.fields.find((f) => f.name === name)!.schema.parameters;
      expect(field('note')).toEqual({ truncateLength: '3' });
      expect(field('code')).toEqual({ masked: 'true' });
      expect(field('n')).toEqual({ masked: 'true' });
      const key = r.key as Struct;
      expect(key.get('code')).toBe('k-1');
      expect(key.schema.fields[0].schema.parameters ?? {}).toEqual({});
    } finally {
      await task.stop();
    }
  });
});
