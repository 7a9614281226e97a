/**
 * A Jolokia-compatible read-only view of the MBeans (the "JMX over HTTP" surface dashboards and
 * jmx-style collectors use): GET /jolokia/read/<mbean>[/<attribute>], /jolokia/search/<pattern>,
 * /jolokia/list, and POST /jolokia with one request or an array of them. MBean patterns use JMX
 * syntax (`kafka.connect:type=source-task-metrics,*`); `!/` escapes a slash as in Jolokia.
 */
import type { FastifyInstance } from 'fastify';
import type { MBean, MetricsRegistry } from '../metrics/registry.ts';

interface JolokiaRequest {
  type: string;
  mbean?: string;
  attribute?: string | string[];
}

interface ObjectNamePattern {
  domain: RegExp;
  props: Record<string, RegExp>;
  /** `,*` or a bare `*`: other properties may appear. */
  open: boolean;
}

function globToRegex(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

export function parsePattern(name: string): ObjectNamePattern {
  const colon = name.indexOf(':');
  if (colon < 0) throw new Error(`Invalid MBean name "${name}": expected domain:key=value[,key=value]`);
  const props: Record<string, RegExp> = {};
  let open = false;
  for (const part of name.slice(colon + 1).split(',').filter(Boolean)) {
    if (part === '*') {
      open = true;
      continue;
    }
    const eq = part.indexOf('=');
    if (eq < 0) throw new Error(`Invalid MBean name "${name}": "${part}" is not key=value`);
    props[part.slice(0, eq)] = globToRegex(part.slice(eq + 1).replace(/^"(.*)"$/, '$1'));
  }
  return { domain: globToRegex(name.slice(0, colon)), props, open };
}

function beanProps(bean: MBean): Record<string, string> {
  return { type: bean.type, ...bean.tags };
}

function matches(bean: MBean, p: ObjectNamePattern): boolean {
  const [domain] = bean.objectName.split(':');
  if (!p.domain.test(domain)) return false;
  const props = beanProps(bean);
  for (const [k, re] of Object.entries(p.props)) if (props[k] === undefined || !re.test(props[k])) return false;
  return p.open || Object.keys(props).length === Object.keys(p.props).length;
}

const isPattern = (name: string) => /[*?]/.test(name);

function jmxType(v: unknown): string {
  if (typeof v === 'string') return 'java.lang.String';
  if (typeof v === 'boolean') return 'boolean';
  if (v !== null && typeof v === 'object') return 'java.util.Map';
  return 'double';
}

export function handleJolokia(registry: MetricsRegistry, req: JolokiaRequest): Record<string, unknown> {
  const timestamp = Math.floor(Date.now() / 1000);
  const error = (status: number, type: string, message: string) => ({ request: req, error_type: type, error: message, status, timestamp });
  try {
    switch (req.type) {
      case 'version':
        return { request: req, value: { agent: '2.0.0', protocol: '7.2', info: { product: 'tributary', vendor: 'Tributary' } }, status: 200, timestamp };
      case 'search': {
        const p = parsePattern(req.mbean ?? '*:*');
        return { request: req, value: registry.list().filter((b) => matches(b, p)).map((b) => b.objectName), status: 200, timestamp };
      }
      case 'list': {
        const value: Record<string, Record<string, { attr: Record<string, { type: string; rw: boolean; desc: string }> }>> = {};
        for (const b of registry.list()) {
          const [domain, rest] = b.objectName.split(/:(.*)/s);
          value[domain] ??= {};
          const attrs = Object.fromEntries(Object.entries(b.read()).map(([k, v]) => [k, { type: jmxType(v), rw: false, desc: k }]));
          value[domain][rest] = { attr: attrs };
        }
        return { request: req, value, status: 200, timestamp };
      }
      case 'read': {
        if (!req.mbean) return error(400, 'java.lang.IllegalArgumentException', 'No MBean name given');
        const wanted = req.attribute === undefined ? undefined : ([] as string[]).concat(req.attribute);
        const pick = (b: MBean) => {
          const all = b.read();
          if (!wanted) return all;
          const missing = wanted.filter((a) => !(a in all));
          if (missing.length && !isPattern(req.mbean!)) throw Object.assign(new Error(`No such attribute: ${missing.join(', ')}`), { jolokiaType: 'javax.management.AttributeNotFoundException', status: 404 });
          return wanted.length === 1 && !isPattern(req.mbean!) ? all[wanted[0]] : Object.fromEntries(wanted.filter((a) => a in all).map((a) => [a, all[a]]));
        };
        if (isPattern(req.mbean)) {
          const p = parsePattern(req.mbean);
          const value = Object.fromEntries(registry.list().filter((b) => matches(b, p)).map((b) => [b.objectName, pick(b)]));
          return { request: req, value, status: 200, timestamp };
        }
        const p = parsePattern(req.mbean);
        const bean = registry.list().find((b) => matches(b, { ...p, open: false }));
        if (!bean) return error(404, 'javax.management.InstanceNotFoundException', req.mbean);
        return { request: req, value: pick(bean), status: 200, timestamp };
      }
      default:
        return error(400, 'java.lang.UnsupportedOperationException', `Operation "${req.type}" is not supported (read-only: read, search, list, version)`);
    }
  } catch (err) {
    const e = err as Error & { jolokiaType?: string; status?: number };
    return error(e.status ?? 400, e.jolokiaType ?? 'java.lang.IllegalArgumentException', e.message);
  }
}

/** Splits a Jolokia GET path on unescaped `/` (`!/` is a literal slash, `!!` a literal `!`). */
function splitPath(path: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '!' && i + 1 < path.length) {
      cur += path[++i];
    } else if (c === '/') {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts.filter((p, i) => p !== '' || i === 0);
}

export function registerJolokia(app: FastifyInstance, registry: MetricsRegistry): void {
  app.get('/jolokia', { schema: { summary: 'Jolokia version', tags: ['metrics'] } }, async () => handleJolokia(registry, { type: 'version' }));
  app.get('/jolokia/*', { schema: { summary: 'Jolokia read/search/list (MBeans with Kafka Connect names)', tags: ['metrics'] } }, async (req) => {
    const raw = decodeURIComponent((req.params as { '*': string })['*']);
    const [type, mbean, attribute] = splitPath(raw);
    return handleJolokia(registry, { type, mbean, attribute: attribute?.includes(',') ? attribute.split(',') : attribute });
  });
  app.post('/jolokia', { schema: { summary: 'Jolokia bulk requests', tags: ['metrics'] } }, async (req) => {
    const body = req.body as JolokiaRequest | JolokiaRequest[];
    return Array.isArray(body) ? body.map((r) => handleJolokia(registry, r)) : handleJolokia(registry, body);
  });
}
