/** Field bytes that do not hold a valid value of their type (bad packed nibble, bad zone, ...). */
export class InvalidFieldData extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidFieldData';
  }
}

export function hex(buf: Uint8Array, start: number, length: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, Math.max(0, Math.min(length, buf.length - start)))
    .toString('hex')
    .toUpperCase();
}
