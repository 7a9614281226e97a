import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The codec libraries (CommonJS, so they land in Node's module cache) a fresh process has loaded after `script`. */
function codecLibsLoadedAfter(script: string): string[] {
  const out = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { createRequire } from 'node:module';
${script}
const cache = createRequire(import.meta.url).cache;
const libs = ['snappyjs', 'lz4js', 'fzstd', '@bokuweb/zstd-wasm'];
console.log(JSON.stringify(libs.filter((lib) => Object.keys(cache).some((k) => k.includes('/node_modules/' + lib + '/')))));`,
    ],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as string[];
}

describe('record-batch codecs load on first use', () => {
  it('the Kafka transport loads no codec library until a batch of that type is compressed', () => {
    expect(
      codecLibsLoadedAfter(`const t = await import('./runtime/transport/kafka-transport.ts');
const c = await import('./runtime/transport/kafka-compression.ts');
c.registerKafkaCodecs();`),
    ).toEqual([]);
    expect(
      codecLibsLoadedAfter(`const c = await import('./runtime/transport/kafka-compression.ts');
await c.compressAs('lz4', Buffer.from('x'.repeat(1000)));`),
    ).toEqual(['lz4js']);
  }, 300_000);
});
