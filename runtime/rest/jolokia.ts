/**
 * A Jolokia-compatible read-only view of the MBeans (protocol 7, as Telegraf's jolokia2_agent,
 * Metricbeat's jolokia module and hawtio use it):
 * - GET  /jolokia/read/<mbean>[/<attribute>[,<attribute>…][/<inner path>]], /jolokia/search/<pattern>,
 *   /jolokia/list[/<domain>[/<properties>[/<inner path>]]], /jolokia/version;
 * - POST on any /jolokia… path (Telegraf posts to /jolokia/read, Metricbeat to
 *   /jolokia/?ignoreErrors=true&canonicalNaming=false) with one request or an array of them,
 *   each with optional `path` (inner path) and `config`.
 * Processing options (query string or a request's `config`): ignoreErrors, canonicalNaming
 * (default true: keys sorted, as ObjectName.getCanonicalName), includeStackTrace (no stack
 * traces are ever sent), maxDepth. MBean patterns use JMX syntax (`kafka.connect:type=source-task-metrics,*`);
 * `!/` escapes a slash in GET paths. All operations are reads: POST needs only the read role.
 * Besides the worker's MBeans, `java.lang:type=Runtime|Memory|Threading|OperatingSystem` answer
 * with Node's equivalents, for the collectors' stock JVM configurations.
 */
import type { FastifyInstance } from 'fastify';
import type { MBean, MetricsRegistry } from '../metrics/registry.ts';
import { runtimeBeans } from './jolokia-runtime.ts';

export interface JolokiaRequest {
  type: string;
  mbean?: string;
  attribute?: string | string[] | null;
  path?: string;
  config?: Record<string, unknown>;
}

export interface JolokiaOptions {
  ignoreErrors: boolean;
  canonicalNaming: boolean;
  maxDepth: number | null;
}

const DEFAULT_OPTIONS: JolokiaOptions = { ignoreErrors: false, canonicalNaming: true, maxDepth: null };

interface ObjectNamePattern {
  domain: RegExp;
  props: Record<string, RegExp>;
  /** `,*` or a bare `*`: other properties may appear. */
  open: boolean;
}

class JolokiaError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

function globToRegex(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}

export function parsePattern(name: string): ObjectNamePattern {
  const colon = name.indexOf(':');
  if (colon < 0)
    throw new JolokiaError(
      400,
      'javax.management.MalformedObjectNameException',
      `Invalid MBean name "${name}": expected domain:key=value[,key=value]`,
    );
  const props: Record<string, RegExp> = {};
  let open = false;
  for (const part of name
    .slice(colon + 1)
    .split(',')
    .filter(Boolean)) {
    if (part === '*') {
      open = true;
      continue;
    }
    const eq = part.indexOf('=');
    if (eq < 0)
      throw new JolokiaError(
        400,
        'javax.management.MalformedObjectNameException',
        `Invalid MBean name "${name}": "${part}" is not key=value`,
      );
    props[part.slice(0, eq)] = globToRegex(part.slice(eq + 1).replace(/^"(.*)"$/, '$1'));
  }
  return { domain: globToRegex(name.slice(0, colon)), props, open };
}

function beanProps(bean: MBean): Record<string, string> {
  return { type: bean.type, ...bean.tags };
}

/** ObjectName.getCanonicalName: the domain, then the key properties sorted by key. */
export function canonicalName(bean: MBean): string {
  const props = Object.entries(beanProps(bean)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${bean.domain}:${props.map(([k, v]) => `${k}=${quoteIfNeeded(v)}`).join(',')}`;
}

function quoteIfNeeded(v: string): string {
  return /^[\w\-%. \t]*$/.test(v) ? v : JSON.stringify(v);
}

function nameOf(bean: MBean, o: JolokiaOptions): string {
  return o.canonicalNaming ? canonicalName(bean) : bean.objectName;
}

function matches(bean: MBean, p: ObjectNamePattern): boolean {
  if (!p.domain.test(bean.domain)) return false;
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

/** Follows an inner path (`a/b/c`, `!/` escaping a slash) into a value. */
function follow(value: unknown, path: string | undefined): unknown {
  if (path === undefined || path === '') return value;
  let cur = value;
  for (const part of splitPath(path)) {
    if (cur === null || typeof cur !== 'object' || !(part in (cur as Record<string, unknown>))) {
      throw new JolokiaError(
        400,
        'javax.management.AttributeNotFoundException',
        `No value at inner path "${path}" (no "${part}")`,
      );
    }
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function truncate(value: unknown, maxDepth: number | null, depth = 0): unknown {
  if (maxDepth === null || maxDepth <= 0 || value === null || typeof value !== 'object') return value;
  if (depth >= maxDepth) return String(value);
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, truncate(v, maxDepth, depth + 1)]),
  );
}

function optionsOf(base: JolokiaOptions, config: Record<string, unknown> | undefined): JolokiaOptions {
  if (!config) return base;
  const flag = (v: unknown, d: boolean) => (v === undefined ? d : v === true || v === 'true');
  const depth = config.maxDepth === undefined ? base.maxDepth : Number(config.maxDepth);
  return {
    ignoreErrors: flag(config.ignoreErrors, base.ignoreErrors),
    canonicalNaming: flag(config.canonicalNaming, base.canonicalNaming),
    maxDepth: Number.isFinite(depth) ? depth : base.maxDepth,
  };
}

function allBeans(registry: MetricsRegistry): MBean[] {
  return [...registry.list(), ...runtimeBeans()];
}

function read(beans: MBean[], req: JolokiaRequest, o: JolokiaOptions): unknown {
  if (!req.mbean) throw new JolokiaError(400, 'java.lang.IllegalArgumentException', 'No MBean name given');
  // As Jolokia's JmxReadRequest: a string is a comma-separated list; a list (even of one) asks for a map of values; [null] is every attribute.
  const listed = Array.isArray(req.attribute)
    ? req.attribute.length === 1 && req.attribute[0] === null
      ? undefined
      : req.attribute
    : (req.attribute ?? undefined);
  const wanted = listed === undefined ? undefined : typeof listed === 'string' ? listed.split(',') : listed;
  const multi = Array.isArray(listed) || (wanted?.length ?? 0) > 1;
  if (isPattern(req.mbean)) {
    const p = parsePattern(req.mbean);
    const value: Record<string, Record<string, unknown>> = {};
    for (const bean of beans.filter((b) => matches(b, p))) {
      const all = bean.read();
      const names = wanted ?? Object.keys(all);
      const attrs: Record<string, unknown> = {};
      for (const a of names) {
        if (!(a in all)) continue;
        try {
          attrs[a] = follow(all[a], req.path);
        } catch (err) {
          if (!o.ignoreErrors) throw err;
        }
      }
      // As Jolokia: beans without the requested attributes are left out of a pattern read.
      if (Object.keys(attrs).length > 0) value[nameOf(bean, o)] = attrs;
    }
    if (Object.keys(value).length === 0 && wanted && !o.ignoreErrors) {
      throw new JolokiaError(
        404,
        'javax.management.AttributeNotFoundException',
        `No MBean matching ${req.mbean} has the attribute(s) ${wanted.join(', ')}`,
      );
    }
    return value;
  }
  const p = parsePattern(req.mbean);
  const bean = beans.find((b) => matches(b, { ...p, open: false }));
  if (!bean) throw new JolokiaError(404, 'javax.management.InstanceNotFoundException', req.mbean);
  const all = bean.read();
  if (wanted && !multi) {
    if (!(wanted[0] in all))
      throw new JolokiaError(404, 'javax.management.AttributeNotFoundException', `No such attribute: ${wanted[0]}`);
    return follow(all[wanted[0]], req.path);
  }
  const names = wanted ?? Object.keys(all);
  const out: Record<string, unknown> = {};
  for (const a of names) {
    if (!(a in all)) {
      if (o.ignoreErrors) continue;
      throw new JolokiaError(404, 'javax.management.AttributeNotFoundException', `No such attribute: ${a}`);
    }
    try {
      out[a] = follow(all[a], req.path);
    } catch (err) {
      if (!o.ignoreErrors) throw err;
    }
  }
  return out;
}

function list(beans: MBean[], req: JolokiaRequest, o: JolokiaOptions): unknown {
  const value: Record<
    string,
    Record<
      string,
      { desc: string; attr: Record<string, { type: string; rw: boolean; desc: string }>; op: Record<string, never> }
    >
  > = {};
  for (const b of beans) {
    const name = nameOf(b, o);
    const props = name.slice(b.domain.length + 1);
    value[b.domain] ??= {};
    const attrs = Object.fromEntries(
      Object.entries(b.read()).map(([k, v]) => [k, { type: jmxType(v), rw: false, desc: k }]),
    );
    value[b.domain][props] = { desc: b.objectName, attr: attrs, op: {} };
  }
  if (!req.path) return value;
  const [domain, props, ...rest] = splitPath(req.path);
  const inDomain = value[domain];
  if (!inDomain) throw new JolokiaError(404, 'java.lang.IllegalArgumentException', `No MBeans in domain ${domain}`);
  if (props === undefined) return inDomain;
  // The properties may be given in any order: match them as an ObjectName.
  const p = parsePattern(`${domain}:${props}`);
  const bean = beans.find((b) => matches(b, { ...p, open: false }));
  if (!bean) throw new JolokiaError(404, 'javax.management.InstanceNotFoundException', `${domain}:${props}`);
  return follow(inDomain[nameOf(bean, o).slice(domain.length + 1)], rest.join('/'));
}

export function handleJolokia(
  registry: MetricsRegistry,
  req: JolokiaRequest,
  base: JolokiaOptions = DEFAULT_OPTIONS,
): Record<string, unknown> {
  const timestamp = Math.floor(Date.now() / 1000);
  const request = { ...req };
  try {
    if (req === null || typeof req !== 'object' || typeof req.type !== 'string') {
      throw new JolokiaError(
        400,
        'java.lang.IllegalArgumentException',
        'A Jolokia request is a JSON object with a "type" (read, search, list or version)',
      );
    }
    const o = optionsOf(base, req.config);
    const beans = allBeans(registry);
    let value: unknown;
    switch (req.type.toLowerCase()) {
      case 'version':
        value = { agent: '2.0.0', protocol: '7.2', config: {}, info: { product: 'tributary', vendor: 'Tributary' } };
        break;
      case 'search': {
        const p = parsePattern(req.mbean ?? '*:*');
        value = beans.filter((b) => matches(b, p)).map((b) => nameOf(b, o));
        break;
      }
      case 'list':
        value = list(beans, req, o);
        break;
      case 'read':
        value = read(beans, req, o);
        break;
      default:
        throw new JolokiaError(
          400,
          'java.lang.UnsupportedOperationException',
          `Operation "${req.type}" is not supported (read-only: read, search, list, version)`,
        );
    }
    return { request, value: truncate(value, o.maxDepth), status: 200, timestamp };
  } catch (err) {
    const e =
      err instanceof JolokiaError
        ? err
        : new JolokiaError(400, 'java.lang.IllegalArgumentException', (err as Error).message);
    return { request, error_type: e.errorType, error: `${e.errorType} : ${e.message}`, status: e.status, timestamp };
  }
}

/** Splits a Jolokia path on unescaped `/` (`!/` is a literal slash, `!!` a literal `!`). */
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

function queryOptions(query: unknown): JolokiaOptions {
  return optionsOf(DEFAULT_OPTIONS, (query ?? {}) as Record<string, unknown>);
}

/** A GET path after /jolokia/: `<type>/<args…>`, split by type as Jolokia does. */
function requestFromPath(raw: string): JolokiaRequest {
  const [type = 'version', ...args] = splitPath(raw);
  switch (type.toLowerCase()) {
    case 'read': {
      const [mbean, attribute, ...path] = args;
      return {
        type,
        mbean,
        attribute: attribute?.includes(',') ? attribute.split(',') : attribute,
        path: path.length ? path.join('/') : undefined,
      };
    }
    case 'search':
      return { type, mbean: args[0] };
    case 'list':
      return {
        type,
        path: args.length ? args.map((a) => a.replace(/!/g, '!!').replace(/\//g, '!/')).join('/') : undefined,
      };
    default:
      return { type, mbean: args[0] };
  }
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch (err) {
    return { type: '', error: (err as Error).message };
  }
}

export function registerJolokia(app: FastifyInstance, registry: MetricsRegistry): void {
  void app.register(async (scope) => {
    // Collectors post JSON with any content type (Metricbeat sends none, jolokia.js text/plain).
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    const post = async (req: { body: unknown; query: unknown }) => {
      const o = queryOptions(req.query);
      const body = parseBody(req.body);
      if (body === undefined || body === null || body === '') return handleJolokia(registry, { type: '' }, o);
      return Array.isArray(body)
        ? body.map((r) => handleJolokia(registry, r as JolokiaRequest, o))
        : handleJolokia(registry, body as JolokiaRequest, o);
    };
    scope.get('/jolokia', { schema: { summary: 'Jolokia version', tags: ['metrics'] } }, async (req) =>
      handleJolokia(registry, { type: 'version' }, queryOptions(req.query)),
    );
    scope.get(
      '/jolokia/*',
      {
        schema: {
          summary: 'Jolokia read/search/list (MBeans with Kafka Connect and Debezium names)',
          tags: ['metrics'],
        },
      },
      async (req) => {
        const raw = decodeURIComponent((req.params as { '*': string })['*']);
        return handleJolokia(registry, requestFromPath(raw), queryOptions(req.query));
      },
    );
    scope.post('/jolokia', { schema: { summary: 'Jolokia bulk requests', tags: ['metrics'] } }, post);
    scope.post(
      '/jolokia/*',
      { schema: { summary: 'Jolokia bulk requests (any path: Telegraf posts to /jolokia/read)', tags: ['metrics'] } },
      post,
    );
  });
}
