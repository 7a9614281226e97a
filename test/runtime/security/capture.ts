/**
 * Captures every log line and every response body a security test produces, so the test can
 * assert that planted secrets appear in none of them.
 *
 *   const capture = createCapture();
 *   const worker = await startStandaloneWorker(props, { logger: capture.logger, plugins });
 *   const res = await capture.fetch(`${worker.url}/connectors/c/config`, { headers: capture.auth('admin', 'pw') });
 *   capture.record('cli stdout', someText);          // anything else a caller could see
 *   expect(capture.leaks(['PLANTED-SECRET'])).toEqual([]);
 *
 * The logger logs at trace level, so debug lines are checked too; `capture.logLines` and
 * `capture.bodies` are there for tests that look for a specific line (e.g. the audit log).
 */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../runtime/logging.ts';

export interface CapturedResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

export interface Leak {
  secret: string;
  where: string;
  excerpt: string;
}

export interface Capture {
  /** A pino logger (trace level) whose every line is captured; give it to the worker. */
  logger: Logger;
  /** Every log line, as written (JSON). */
  readonly logLines: string[];
  /** Every recorded response body, with where it came from (`METHOD url -> status`). */
  readonly bodies: Array<{ where: string; text: string }>;
  /** fetch that records the response body (and status line) before returning it. */
  fetch(url: string, init?: RequestInit): Promise<CapturedResponse>;
  /** Records any other text a caller could see (CLI output, an error message). */
  record(where: string, text: string): void;
  /** A basic-auth header for fetch. */
  auth(user: string, password: string): Record<string, string>;
  /** The parsed log lines whose `logger` binding is `name` (e.g. 'tributary.audit'). */
  linesOf(name: string): Array<Record<string, unknown>>;
  /** Every place a secret shows up (also base64- and URL-encoded); [] when none does. */
  leaks(secrets: string[]): Leak[];
}

export function createCapture(): Capture {
  const logLines: string[] = [];
  const bodies: Array<{ where: string; text: string }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logLines.push(line);
      done();
    },
  });
  const logger = createLogger({ level: 'trace', destination });
  return {
    logger,
    logLines,
    bodies,
    async fetch(url, init) {
      const res = await fetch(url, init);
      const text = await res.text();
      bodies.push({ where: `${init?.method ?? 'GET'} ${url} -> ${res.status}`, text });
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, json };
    },
    record(where, text) {
      bodies.push({ where, text });
    },
    auth(user, password) {
      return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
    },
    linesOf(name) {
      return logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.logger === name);
    },
    leaks(secrets) {
      const found: Leak[] = [];
      const haystacks = [...logLines.map((text, i) => ({ where: `log line ${i + 1}`, text })), ...bodies];
      for (const secret of secrets) {
        const forms = [secret, encodeURIComponent(secret)];
        for (const { where, text } of haystacks) {
          const form = forms.find((f) => text.includes(f));
          if (form) {
            const at = text.indexOf(form);
            found.push({ secret, where, excerpt: text.slice(Math.max(0, at - 80), at + form.length + 40) });
          } else if (decodedBase64Runs(text).some((d) => d.includes(secret))) {
            found.push({ secret, where, excerpt: '(base64-encoded)' });
          }
        }
      }
      return found;
    },
  };
}

/** Every run of base64 characters (12 or more) decoded, so an encoded secret is found at any alignment. */
function decodedBase64Runs(text: string): string[] {
  return [...text.matchAll(/[A-Za-z0-9+/]{12,}={0,2}/g)].map((m) => Buffer.from(m[0], 'base64').toString('latin1'));
}
