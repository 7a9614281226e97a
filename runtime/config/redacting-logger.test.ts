import { describe, it, expect } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from '../logging.ts';
import { redactingLogger } from './redacting-logger.ts';

describe('redactingLogger', () => {
  it('redacts messages, fields, errors and child loggers; follows level changes of the wrapped logger', () => {
    const lines: string[] = [];
    const base = createLogger({
      level: 'info',
      destination: new Writable({
        write(c, _e, done) {
          lines.push(String(c));
          done();
        },
      }),
    });
    const log = redactingLogger(base, (t) => t.split('s3cr3t').join('${env:X}'));
    log.info({ file: '/data/s3cr3t/out', nested: { list: ['a-s3cr3t'] } }, 'opening s3cr3t');
    log.child({ task: 0 }).error({ err: new Error('cannot open /s3cr3t') }, 'failed');
    log.debug('s3cr3t at debug');
    expect(lines).toHaveLength(2);
    base.level = 'debug';
    log.debug('s3cr3t at debug');
    expect(lines).toHaveLength(3);
    expect(log.level).toBe('debug');
    expect(lines.join('')).not.toContain('s3cr3t');
    expect(lines.join('')).toContain('/data/${env:X}/out');
    expect(lines.join('')).toContain('cannot open /${env:X}');
  });
});
