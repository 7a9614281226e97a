/**
 * log.format=text: pino's JSON lines rewritten in Kafka Connect's log4j layout
 * (`[%d] %p %X{connector.context}%m (%c)%n`, connect-log4j.properties), e.g.
 *   [2026-12-06 22:44:28,123] INFO [inventory|task-0] Snapshot completed rows=50 (tributary.connector.inventory.task.0)
 * The connector context is `[name|task-N]` for a task's lines and `[name|worker]` for the worker's
 * lines about a connector, as Kafka Connect's LoggingContext writes it.
 */
import type { DestinationStream } from 'pino';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields the layout shows in its own places (or that a terminal reader does not need). */
const OWN_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'connector', 'task', 'logger', 'err']);

export class TextLogDestination implements DestinationStream {
  constructor(private readonly out: DestinationStream) {}

  write(line: string): void {
    this.out.write(formatTextLine(line));
  }
}

export function formatTextLine(jsonLine: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine.endsWith('\n') ? jsonLine : `${jsonLine}\n`;
  }
  const level = (LEVELS[o.level as number] ?? String(o.level)).padEnd(5);
  const context =
    o.connector === undefined
      ? ''
      : `[${String(o.connector)}|${o.task === undefined ? 'worker' : `task-${String(o.task)}`}] `;
  const fields = Object.entries(o)
    .filter(([k]) => !OWN_FIELDS.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? (/[\s"]/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v)}`);
  const err = o.err as { message?: string; stack?: string } | string | undefined;
  const errText =
    err === undefined
      ? ''
      : typeof err === 'string'
        ? ` err=${JSON.stringify(err)}`
        : err.stack
          ? `\n${err.stack}`
          : ` err=${JSON.stringify(err.message ?? err)}`;
  const origin = typeof o.logger === 'string' ? o.logger : typeof o.name === 'string' ? o.name : 'tributary';
  const msg = typeof o.msg === 'string' ? o.msg : '';
  const tail = fields.length > 0 ? ` ${fields.join(' ')}` : '';
  return `[${timestamp(typeof o.time === 'number' ? o.time : Date.now())}] ${level} ${context}${msg}${tail} (${origin})${errText}\n`;
}

/** log4j's ISO8601 date layout in local time: 2026-12-06 22:44:28,123 */
function timestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)}`;
}
