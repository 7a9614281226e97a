/** Types of the untyped pure-JavaScript codec libraries the Kafka transport uses. */
declare module 'snappyjs' {
  const SnappyJS: {
    compress(input: Uint8Array): Uint8Array;
    uncompress(input: Uint8Array, maxLength?: number): Uint8Array;
  };
  export default SnappyJS;
}

declare module 'lz4js' {
  const lz4: {
    compressBound(n: number): number;
    compressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, hashTable: Uint32Array): number;
    decompress(src: Uint8Array, maxSize?: number): Uint8Array;
  };
  export default lz4;
}

declare module 'lz4js/xxh32.js' {
  const xxh32: { hash(seed: number, src: Uint8Array, sIndex: number, sLength: number): number };
  export default xxh32;
}
