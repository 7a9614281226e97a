import os from 'node:os';

/** A worker's id as Kafka Connect shows it in status `worker_id`: `<advertised host>:<port>`. */
export function defaultWorkerId(host: string | null, port: number): string {
  return `${host ?? (os.hostname() || '127.0.0.1')}:${port}`;
}
