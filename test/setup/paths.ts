import os from 'node:os';
import path from 'node:path';

/**
 * Where provisioned servers keep their data and logs. Outside the checkout (so fresh clones reuse
 * running servers) and readable by the postgres/mysql system users (so not under /root).
 */
export const SERVICES_DIR = process.env.TRIBUTARY_SERVICES_DIR ?? path.join('/var/tmp', 'tributary-services');

/** Downloads (Kafka jars) are cached per user. */
export const DOWNLOAD_CACHE = process.env.TRIBUTARY_DOWNLOAD_CACHE ?? path.join(os.homedir(), '.cache', 'tributary');

export const PORTS = {
  postgres: 55432,
  mariadb: 53306,
  kafka: 59092,
  kafkaController: 59093,
  schemaRegistry: 58081,
} as const;
