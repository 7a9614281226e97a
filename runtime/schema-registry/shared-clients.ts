/** One registry client (and so one cache) per distinct URL set and credentials, shared by every converter. */
import { createHash } from 'node:crypto';
import { SchemaRegistryClient, type RegistryClientOptions } from './registry-client.ts';

const clients = new Map<string, SchemaRegistryClient>();

export function sharedRegistryClient(opts: RegistryClientOptions): SchemaRegistryClient {
  const urls = opts.urls.map((u) => u.trim().replace(/\/+$/, '')).sort();
  // The credentials are part of the key (hashed, so they are not kept as a readable map key).
  const key = `${urls.join(',')}\u0000${opts.userInfo ? createHash('sha256').update(opts.userInfo).digest('hex') : ''}\u0000${opts.requestTimeoutMs ?? ''}\u0000${opts.tls?.cacheKey ?? ''}`;
  let client = clients.get(key);
  if (!client) {
    client = new SchemaRegistryClient(opts);
    clients.set(key, client);
  }
  return client;
}

/** Forgets every shared client (tests). */
export function resetSharedRegistryClients(): void {
  clients.clear();
}
