/**
 * Credentials the CLI client sends to a worker: `--user user:password` (HTTP basic, as curl),
 * `--token <token>` (bearer), else the TRIBUTARY_AUTH environment variable (`user:password` or
 * `Bearer <token>`). Nothing when none is given.
 */
export function authorizationHeader(
  flags: Record<string, string | true>,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  if (typeof flags.user === 'string') return { authorization: basic(flags.user) };
  if (typeof flags.token === 'string') return { authorization: `Bearer ${flags.token}` };
  const fromEnv = env.TRIBUTARY_AUTH?.trim();
  if (!fromEnv) return {};
  if (/^bearer\s+/i.test(fromEnv)) return { authorization: `Bearer ${fromEnv.replace(/^bearer\s+/i, '')}` };
  return { authorization: basic(fromEnv) };
}

function basic(userPass: string): string {
  return `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;
}
