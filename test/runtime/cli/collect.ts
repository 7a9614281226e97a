/** An in-memory CliIo for driving cli/main.ts in-process. */
import { Readable, Writable } from 'node:stream';
import type { CliIo } from '../../../cli/io.ts';

export class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

export function io(stdinText?: string): CliIo & { stdout: Collect; stderr: Collect } {
  return {
    stdout: new Collect(),
    stderr: new Collect(),
    ...(stdinText === undefined ? {} : { stdin: Readable.from([stdinText]) }),
  };
}
