import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigProviders, PROVIDER_CLASSES } from './providers.ts';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'trib-providers-'));

describe('config providers (Kafka ConfigTransformer semantics)', () => {
  it('resolves nothing unless config.providers lists the provider', () => {
    process.env.TRIB_PROVIDER_TEST = 'value-from-env';
    const raw = { a: '${env:TRIB_PROVIDER_TEST}', b: '${file:/etc/hostname:x}', c: '${dir:/etc:hostname}' };
    expect(ConfigProviders.fromWorkerProps({}).transform(raw).data).toEqual(raw);
    const onlyFile = ConfigProviders.fromWorkerProps({
      'config.providers': 'file',
      'config.providers.file.class': PROVIDER_CLASSES.file,
    });
    expect(onlyFile.transform({ a: raw.a }).data.a).toBe(raw.a);
  });

  it('refuses a listed provider without a class, or an unknown class, naming the key', () => {
    expect(() => ConfigProviders.fromWorkerProps({ 'config.providers': 'env' })).toThrow(
      /config\.providers\.env\.class/,
    );
    expect(() =>
      ConfigProviders.fromWorkerProps({ 'config.providers': 'v', 'config.providers.v.class': 'com.example.Vault' }),
    ).toThrow(/com\.example\.Vault for configuration config\.providers\.v\.class/);
  });

  it('EnvVarConfigProvider honours allowlist.pattern (KIP-887) and refuses paths', () => {
    process.env.TRIB_ALLOWED_X = 'ok';
    process.env.TRIB_SECRET_X = 'nope';
    const p = ConfigProviders.fromWorkerProps({
      'config.providers': 'env',
      'config.providers.env.class': PROVIDER_CLASSES.env,
      'config.providers.env.param.allowlist.pattern': 'TRIB_ALLOWED_.*',
    });
    const r = p.transform({ a: '${env:TRIB_ALLOWED_X}', b: '${env:TRIB_SECRET_X}', c: '${env:/x:TRIB_ALLOWED_X}' });
    expect(r.data).toEqual({ a: 'ok', b: '${env:TRIB_SECRET_X}', c: '${env:/x:TRIB_ALLOWED_X}' });
    expect(r.unresolved.map((u) => u.key)).toEqual(['b', 'c']);
    expect(p.warnings).toEqual([]);
    const open = ConfigProviders.fromWorkerProps({
      'config.providers': 'env',
      'config.providers.env.class': 'EnvVarConfigProvider',
    });
    expect(open.warnings[0].message).toMatch(/allowlist\.pattern/);
  });

  it('File/DirectoryConfigProvider honour allowed.paths (KIP-993): normalised, symlinks resolved', () => {
    const root = tmp();
    const allowed = path.join(root, 'allowed');
    const outside = path.join(root, 'outside');
    fs.mkdirSync(allowed);
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(allowed, 'app.properties'), 'pw=inside-secret\n');
    fs.writeFileSync(path.join(outside, 'app.properties'), 'pw=outside-secret\n');
    fs.writeFileSync(path.join(allowed, 'token'), 'dir-secret');
    fs.symlinkSync(path.join(outside, 'app.properties'), path.join(allowed, 'link.properties'));
    const p = ConfigProviders.fromWorkerProps({
      'config.providers': 'file,dir',
      'config.providers.file.class': PROVIDER_CLASSES.file,
      'config.providers.file.param.allowed.paths': allowed,
      'config.providers.dir.class': PROVIDER_CLASSES.dir,
      'config.providers.dir.param.allowed.paths': allowed,
    });
    const r = p.transform({
      ok: `\${file:${allowed}/app.properties:pw}`,
      dotdot: `\${file:${allowed}/../outside/app.properties:pw}`,
      link: `\${file:${allowed}/link.properties:pw}`,
      dir: `\${dir:${allowed}:token}`,
      dirOut: `\${dir:${outside}:app.properties}`,
      dirEscape: `\${dir:${allowed}:../outside/app.properties}`,
    });
    expect(r.data.ok).toBe('inside-secret');
    expect(r.data.dir).toBe('dir-secret');
    for (const k of ['dotdot', 'link', 'dirOut', 'dirEscape']) expect(r.data[k]).toMatch(/^\$\{/);
    expect(JSON.stringify(r.data)).not.toContain('outside-secret');
    expect(() =>
      ConfigProviders.fromWorkerProps({
        'config.providers': 'file',
        'config.providers.file.class': PROVIDER_CLASSES.file,
        'config.providers.file.param.allowed.paths': 'relative/dir',
      }),
    ).toThrow(/allowed\.paths.*not absolute/);
  });

  it('reads only regular files of at most 1 MiB (no device, FIFO or directory)', () => {
    const p = ConfigProviders.fromWorkerProps({
      'config.providers': 'file,dir',
      'config.providers.file.class': PROVIDER_CLASSES.file,
      'config.providers.dir.class': PROVIDER_CLASSES.dir,
    });
    const big = path.join(tmp(), 'big.properties');
    fs.writeFileSync(big, `k=${'x'.repeat(2 << 20)}\n`);
    const r = p.transform({
      zero: '${file:/dev/zero:k}',
      dir: '${file:/tmp:k}',
      big: `\${file:${big}:k}`,
      devdir: '${dir:/dev:zero}',
    });
    expect(r.data).toEqual({
      zero: '${file:/dev/zero:k}',
      dir: '${file:/tmp:k}',
      big: `\${file:${big}:k}`,
      devdir: '${dir:/dev:zero}',
    });
  });

  it('redacts resolved values back to their placeholders', () => {
    process.env.TRIB_REDACT_X = 'hunter2-value';
    const p = ConfigProviders.fromWorkerProps({
      'config.providers': 'env',
      'config.providers.env.class': PROVIDER_CLASSES.env,
    });
    const r = p.transform({ 'batch.size': '${env:TRIB_REDACT_X}' });
    expect(r.resolvedKeys.has('batch.size')).toBe(true);
    expect(r.redact('Invalid value hunter2-value for configuration batch.size')).toBe(
      'Invalid value ${env:TRIB_REDACT_X} for configuration batch.size',
    );
  });
});
