/**
 * REST authentication and roles. Basic auth reads a credentials file in the format of Kafka
 * Connect's BasicAuthSecurityRestExtension / Jetty's PropertyFileLoginModule
 * (`user: password[, role ...]`); bearer tokens read a file of the same shape
 * (`name: token[, role ...]`). Roles nest: `admin` ⊃ `operate` ⊃ `read`.
 */
import fs from 'node:fs';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigException } from '../errors.ts';

export const ROLES = ['read', 'operate', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  name: string;
  role: Role;
  /** How the caller proved it: basic, bearer, or anonymous when authentication is off. */
  scheme: 'basic' | 'bearer' | 'anonymous';
}

interface Entry {
  name: string;
  secretDigest: Buffer;
  role: Role;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Parses `name: secret[, role ...]` lines (`=` works as the separator too, as in Java properties;
 * `#`/`!` start comments). Without a role an entry gets `read`: Kafka Connect's file has no
 * roles, so an entry copied from it may read but not change anything until given a role.
 */
export function parseCredentials(text: string, key: string, file: string): Entry[] {
  const entries: Entry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) return;
    const m = /^([^:=\s]+)\s*[:=]\s*(.*)$/.exec(line);
    if (!m) throw new ConfigException(`${key}: line ${i + 1} of ${file} is not "name: secret[, role ...]"`, { key });
    const [secret, ...roleNames] = m[2].split(',').map((s) => s.trim());
    if (!secret) throw new ConfigException(`${key}: line ${i + 1} of ${file} (${m[1]}) has an empty secret`, { key });
    let role: Role = 'read';
    for (const r of roleNames.filter(Boolean)) {
      const known = ROLES.find((x) => x === r.toLowerCase());
      if (!known)
        throw new ConfigException(
          `${key}: line ${i + 1} of ${file} (${m[1]}) names the unknown role "${r}"; use read, operate or admin`,
          { key },
        );
      if (ROLES.indexOf(known) > ROLES.indexOf(role)) role = known;
    }
    entries.push({ name: m[1], secretDigest: digest(secret), role });
  });
  return entries;
}

function readFile(key: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigException(
      `${key}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); point it at a readable credentials file`,
      { key },
    );
  }
}

export class Authenticator {
  private constructor(
    private readonly users: Entry[],
    private readonly tokens: Entry[],
  ) {}

  /** null when neither file is configured: the API is open, as Kafka Connect without a REST extension. */
  static fromConfig(credentialsFile: string | null, tokensFile: string | null): Authenticator | null {
    if (!credentialsFile && !tokensFile) return null;
    const users = credentialsFile
      ? parseCredentials(
          readFile('rest.auth.credentials.file', credentialsFile),
          'rest.auth.credentials.file',
          credentialsFile,
        )
      : [];
    const tokens = tokensFile
      ? parseCredentials(readFile('rest.auth.tokens.file', tokensFile), 'rest.auth.tokens.file', tokensFile)
      : [];
    if (users.length === 0 && tokens.length === 0) {
      throw new ConfigException(
        'rest.auth.credentials.file / rest.auth.tokens.file: the files hold no entries, so nobody could use the REST API; add a "name: secret, admin" line',
        { key: 'rest.auth.credentials.file' },
      );
    }
    return new Authenticator(users, tokens);
  }

  /** The principal an Authorization header proves, or null. */
  authenticate(header: string | undefined): Principal | null {
    if (!header) return null;
    const space = header.indexOf(' ');
    if (space < 0) return null;
    const scheme = header.slice(0, space).toLowerCase();
    const value = header.slice(space + 1).trim();
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return null;
      const name = decoded.slice(0, colon);
      const d = digest(decoded.slice(colon + 1));
      const entry = this.users.find((e) => e.name === name);
      // Compare even for an unknown user so timing does not tell which names exist.
      const ok = timingSafeEqual(d, entry?.secretDigest ?? digest('\0no such user'));
      return entry && ok ? { name: entry.name, role: entry.role, scheme: 'basic' } : null;
    }
    if (scheme === 'bearer') {
      const d = digest(value);
      let found: Entry | undefined;
      for (const e of this.tokens) if (timingSafeEqual(d, e.secretDigest)) found = e;
      return found ? { name: found.name, role: found.role, scheme: 'bearer' } : null;
    }
    return null;
  }
}

export function hasRole(principal: Principal, needed: Role): boolean {
  return ROLES.indexOf(principal.role) >= ROLES.indexOf(needed);
}

const OPERATE = [
  /^\/connectors\/[^/]+\/(pause|resume|stop|restart)$/,
  /^\/connectors\/[^/]+\/tasks\/[^/]+\/restart$/,
  /^\/connectors\/[^/]+\/offsets$/,
  /^\/connectors\/[^/]+\/topics\/reset$/,
];

/**
 * The role a request needs: reads need `read`; pausing, resuming, stopping, restarting and
 * offsets need `operate`; creating, changing and deleting connectors, validating configs and
 * everything under /admin need `admin` (the logger endpoints reveal and change worker state,
 * so even their GETs do).
 */
export function requiredRole(method: string, path: string): Role {
  if (path === '/admin' || path.startsWith('/admin/')) return 'admin';
  if (method === 'GET' || method === 'HEAD') return 'read';
  if (method === 'OPTIONS') return 'read';
  // Jolokia requests are reads whatever the method (collectors POST them).
  if (method === 'POST' && (path === '/jolokia' || path.startsWith('/jolokia/'))) return 'read';
  if (OPERATE.some((re) => re.test(path))) return 'operate';
  return 'admin';
}
