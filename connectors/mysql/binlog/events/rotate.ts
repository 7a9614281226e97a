/** ROTATE_EVENT: the next binlog file and the position to read it from. */
import type { ByteReader } from '../byte-reader.ts';

export interface RotateEvent {
  kind: 'rotate';
  position: number;
  nextFile: string;
}

export function parseRotate(r: ByteReader): RotateEvent {
  const position = r.u64n();
  return { kind: 'rotate', position, nextFile: r.restString('latin1') };
}
