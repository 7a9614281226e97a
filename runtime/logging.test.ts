import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger, logFormatOf, recentProblemsOf } from './logging.ts';
import { formatTextLine } from './logging-text.ts';

function capture(format?: string) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination, format }) };
}

describe('log.format', () => {
  it("text: Kafka Connect's log4j layout with the connector context, fields, the logger name and secrets hidden", () => {
    const { lines, logger } = capture('text');
    logger
      .child({ logger: 'tributary.connector.inv.task.0', connector: 'inv', task: 0 })
      .info({ rows: 50, url: 'postgres://app:s3cret@db/x' }, 'Snapshot completed');
    logger.child({ connector: 'inv' }).warn('Setting connector inv state to PAUSED');
    logger.info('Tributary worker started');
    expect(lines[0]).toMatch(
      /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] INFO {2}\[inv\|task-0\] Snapshot completed rows=50 url=postgres:\/\/app:\[hidden\]@db\/x \(tributary\.connector\.inv\.task\.0\)$/,
    );
    expect(lines[1]).toMatch(/\] WARN {2}\[inv\|worker\] Setting connector inv state to PAUSED \(tributary\)$/);
    expect(lines[2]).toMatch(/\] INFO {2}Tributary worker started \(tributary\)$/);
    expect(lines.join('\n')).not.toContain('s3cret');
  });

  it('text: an error logged with its stack prints the stack below the line', () => {
    const line = formatTextLine(
      JSON.stringify({
        level: 50,
        time: 0,
        msg: 'Task failed',
        err: { message: 'boom', stack: 'Error: boom\n    at x (y.ts:1:1)' },
      }),
    );
    expect(line).toMatch(/ERROR Task failed \(tributary\)\nError: boom\n {4}at x/);
  });

  it('json stays one JSON object a line; an unknown format is refused naming the key and the values', () => {
    const { lines, logger } = capture('json');
    logger.child({ connector: 'c', task: 1 }).debug('x');
    expect(JSON.parse(lines[0])).toMatchObject({ level: 20, connector: 'c', task: 1, msg: 'x' });
    expect(() => logFormatOf('xml', false)).toThrow(
      /Invalid value xml for configuration log\.format: use json or text/,
    );
    expect(logFormatOf(undefined, true)).toBe('text');
    expect(logFormatOf(undefined, false)).toBe('json');
    expect(logFormatOf(' TEXT ', false)).toBe('text');
  });
});

describe("recent problems (the web console's recent errors)", () => {
  it('keeps WARN and above with the connector and task of the child logger, redacted, newest last, at most 100', () => {
    const { logger } = capture();
    const task = logger.child({ connector: 'orders', task: 2 });
    task.info('not kept');
    task.error(
      { err: new Error('connect to postgres://u:pw123@h failed'), task: 'orders-2' },
      'Task threw an uncaught and unrecoverable exception',
    );
    logger.warn({ connector: 'other' }, 'Could not publish status');
    const list = recentProblemsOf(logger)!.list();
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({
      level: 'ERROR',
      connector: 'orders',
      task: 2,
      message: 'Task threw an uncaught and unrecoverable exception',
      error: 'connect to postgres://u:[hidden]@h failed',
    });
    expect(list[1]).toMatchObject({ level: 'WARN', connector: 'other', message: 'Could not publish status' });
    for (let i = 0; i < 150; i++) logger.warn(`w${i}`);
    const after = recentProblemsOf(logger)!.list();
    expect(after).toHaveLength(100);
    expect(after[99].message).toBe('w149');
  });
});
