import { describe, it, expect } from 'vitest';
import { ConfigDef, Validators, maskSecrets, Password, ParsedConfig } from './config-def.ts';
import { parseProperties } from './properties.ts';
import { ConfigProviders } from './providers.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const def = new ConfigDef()
  .define({ name: 'host', type: 'STRING', importance: 'HIGH', documentation: 'Database host.' })
  .define({
    name: 'port',
    type: 'INT',
    defaultValue: 5432,
    importance: 'MEDIUM',
    documentation: 'Port.',
    validator: Validators.between(1, 65535),
  })
  .define({ name: 'tables', type: 'LIST', defaultValue: '', importance: 'LOW', documentation: 'Tables.' })
  .define({ name: 'ssl', type: 'BOOLEAN', defaultValue: false, importance: 'LOW', documentation: 'SSL.' })
  .define({ name: 'password', type: 'PASSWORD', defaultValue: null, importance: 'HIGH', documentation: 'Password.' })
  .define({
    name: 'mode',
    type: 'STRING',
    defaultValue: 'initial',
    importance: 'LOW',
    documentation: 'Mode.',
    validator: Validators.in('initial', 'never'),
  });

describe('ConfigDef', () => {
  it('parses typed values and applies defaults', () => {
    const v = def.parse({ host: 'db', tables: 'a, b,c', ssl: 'TRUE', password: 's3cret' });
    expect(v).toMatchObject({ host: 'db', port: 5432, tables: ['a', 'b', 'c'], ssl: true, mode: 'initial' });
    expect(String(v.password)).toBe('[hidden]');
    expect((v.password as Password).value).toBe('s3cret');
  });

  it('reports every problem at once, naming key, value and fix', () => {
    expect(() => def.parse({ port: '70000', ssl: 'yes', mode: 'sometimes' })).toThrow(
      /Missing required configuration "host"[\s\S]*Invalid value 70000 for configuration port: Value must be between 1 and 65535[\s\S]*Invalid value yes for configuration ssl[\s\S]*String must be one of: initial, never/,
    );
  });

  it('validate() returns per-key errors without throwing', () => {
    const values = def.validate({ port: 'abc' });
    expect(values.find((v) => v.name === 'host')!.errorMessages[0]).toMatch(/Missing required/);
    expect(values.find((v) => v.name === 'port')!.errorMessages[0]).toMatch(/Not a number of type INT/);
    expect(values.find((v) => v.name === 'ssl')!.errorMessages).toEqual([]);
  });

  it('masks password-type and secret-looking keys', () => {
    expect(maskSecrets({ host: 'h', password: 'p', 'value.converter.basic.auth.user.info': 'u:p' }, def)).toEqual({
      host: 'h',
      password: '[hidden]',
      'value.converter.basic.auth.user.info': '[hidden]',
    });
  });

  it('gives typed accessors and prefixed originals', () => {
    const c = new ParsedConfig(def, { host: 'h', 'value.converter.schemas.enable': 'false' });
    expect(c.getInt('port')).toBe(5432);
    expect(c.originalsWithPrefix('value.converter.')).toEqual({ 'schemas.enable': 'false' });
  });
});

describe('properties and config providers', () => {
  it('parses Java properties syntax', () => {
    const text =
      '# comment\n! also\nkey1=value1\nkey2 : value two\nkey3 value3\nmulti=a,\\\n   b\nesc=tab\\there\\u0041\n  spaced.key  =  v  \n';
    expect(parseProperties(text)).toEqual({
      key1: 'value1',
      key2: 'value two',
      key3: 'value3',
      multi: 'a,b',
      esc: 'tab\thereA',
      'spaced.key': 'v  ',
    });
  });

  it('resolves ${env:...} and ${file:path:key} through configured providers only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-prov-'));
    const file = path.join(dir, 'secrets.properties');
    fs.writeFileSync(file, 'db.password=hunter2\n');
    process.env.TRIB_TEST_HOST = 'pg.local';
    const providers = ConfigProviders.fromWorkerProps({
      'config.providers': 'env,file',
      'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
      'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
    });
    const raw = { host: '${env:TRIB_TEST_HOST}', password: `\${file:${file}:db.password}`, other: '${vault:x}' };
    expect(providers.transform(raw).data).toEqual({ host: 'pg.local', password: 'hunter2', other: '${vault:x}' });
    expect(providers.transform({ host: '${env:TRIB_TEST_MISSING_VAR}' }).data).toEqual({
      host: '${env:TRIB_TEST_MISSING_VAR}',
    });
    expect(ConfigProviders.none().transform(raw).data).toEqual(raw);
  });
});
