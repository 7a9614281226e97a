/**
 * Parses the worker's `listeners` / `admin.listeners` URIs (`http://host:port`, `https://host:port`;
 * an empty host binds every interface). Kept beside the config so the worker's config check and
 * the REST server read the same parse.
 */
import { ConfigException } from '../errors.ts';

export interface ListenerSpec {
  protocol: 'http' | 'https';
  /** '' binds every interface. */
  host: string;
  port: number;
  /** The URI as written. */
  raw: string;
}

const LISTENER = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(\[[0-9a-fA-F:.%a-zA-Z]*\]|[0-9a-zA-Z\-%._]*):(\d+)\/?$/;

export function parseListeners(key: string, values: string[]): ListenerSpec[] {
  const specs = values.map((raw) => {
    const m = LISTENER.exec(raw.trim());
    if (!m)
      throw new ConfigException(
        `${key}: cannot parse "${raw}"; write listeners as http://host:port or https://host:port (e.g. http://127.0.0.1:8083; an empty host, http://:8083, binds every interface)`,
        { key },
      );
    const protocol = m[1].toLowerCase();
    if (protocol !== 'http' && protocol !== 'https')
      throw new ConfigException(`${key}: "${raw}" uses the protocol ${m[1]}; only http and https listeners exist`, {
        key,
      });
    const port = Number(m[3]);
    if (port > 65535)
      throw new ConfigException(`${key}: "${raw}" has the port ${port}; ports are 0..65535 (0 picks a free one)`, {
        key,
      });
    const host = m[2].startsWith('[') ? m[2].slice(1, -1) : m[2];
    return { protocol, host, port, raw: raw.trim() } as ListenerSpec;
  });
  return specs;
}
