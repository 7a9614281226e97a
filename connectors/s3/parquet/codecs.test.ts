import { describe, expect, it } from 'vitest';
import { lz4Block, parquetCodec } from './codecs.ts';

/** A strict LZ4 block decoder: also checks the format's end rules that lenient decoders skip. */
function strictLz4Decode(block: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let i = 0;
  let o = 0;
  const length = (base: number) => {
    let n = base;
    if (base === 15)
      for (let b = 255; b === 255;) {
        b = block[i++];
        n += b;
      }
    return n;
  };
  for (;;) {
    const token = block[i++];
    const literals = length(token >> 4);
    out.set(block.subarray(i, i + literals), o);
    i += literals;
    o += literals;
    if (i === block.length) break;
    const offset = block[i] | (block[i + 1] << 8);
    i += 2;
    const match = length(token & 15) + 4;
    if (o > size - 12) throw new Error(`match starts at ${o}, less than 12 bytes before the end (${size})`);
    if (o + match > size - 5) throw new Error(`match ends at ${o + match}, inside the last 5 bytes (${size})`);
    for (let k = 0; k < match; k++, o++) out[o] = out[o - offset];
  }
  if (o !== size) throw new Error(`decoded ${o} bytes, expected ${size}`);
  return out;
}

describe('parquet.codec=lz4 blocks', () => {
  const inputs: Uint8Array[] = [
    new Uint8Array(0),
    Buffer.from('a'),
    Buffer.from('06000000636f6465203006000000636f64652031', 'hex'),
  ];
  for (const n of [5, 12, 13, 20, 64, 300, 70_000]) {
    inputs.push(Uint8Array.from({ length: n }, (_v, i) => (i * 7) % 13));
    inputs.push(Uint8Array.from({ length: n }, (_v, i) => (Math.imul(i + 1, 2654435761) >>> 24) & 0xff));
    inputs.push(new Uint8Array(n).fill(9));
  }
  it.each(inputs.map((input) => [input.length, input] as const))(
    '%i bytes round-trip within the format end rules',
    (_n, input) => {
      expect(Buffer.from(strictLz4Decode(lz4Block(input), input.length))).toEqual(Buffer.from(input));
    },
  );

  it('frames pages as Hadoop Lz4Codec does (parquet-mr LZ4): BE uncompressed size, BE compressed size, block', () => {
    const page = Buffer.from('abcabcabcabcabcabcabcabcabcabc');
    const framed = parquetCodec('lz4').compress!(page);
    const view = new DataView(framed.buffer, framed.byteOffset, framed.byteLength);
    expect(view.getUint32(0)).toBe(page.length);
    expect(view.getUint32(4)).toBe(framed.length - 8);
    expect(Buffer.from(strictLz4Decode(framed.subarray(8), page.length))).toEqual(page);
  });
});
