/**
 * Parses a `tributary` command line against the command table (spec.ts): the command path
 * (`connectors list`), positional arguments, flags anywhere on the line (`--url X connectors list`
 * works), `--flag value` and `--flag=value`. An unknown flag or a missing value is a UsageError
 * naming the flag and the command's help.
 */
import { COMMANDS, findCommand, GLOBAL_FLAGS, subcommandsOf, type CommandSpec, type FlagSpec } from './spec.ts';

export class UsageError extends Error {}

export type FlagValue = string | true | string[];

export interface ParsedArgs {
  /** The resolved command path, e.g. ['connectors', 'list']; empty when none was given. */
  path: string[];
  spec: CommandSpec | undefined;
  positional: string[];
  /** Command flags (repeatable ones as lists). */
  flags: Record<string, FlagValue>;
  /** --url, --user, --token, --output. */
  globals: Record<string, string>;
  help: boolean;
  /** The arguments after the command path minus the global flags, for commands that parse their own. */
  rest: string[];
}

function knownFlags(path: string[]): FlagSpec[] {
  const spec = findCommand(path);
  const own = spec?.flags ?? [];
  // Flags of a subcommand may come before its name (`topics --bootstrap-server b list`).
  const subs = subcommandsOf(path).flatMap((s) => s.flags ?? []);
  return [...own, ...subs];
}

export function parseArgs(argv: string[]): ParsedArgs {
  const out: ParsedArgs = { path: [], spec: undefined, positional: [], flags: {}, globals: {}, help: false, rest: [] };
  let literal = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (literal || !a.startsWith('-') || a === '-') {
      const next =
        out.positional.length === 0 ? subcommandsOf(out.path).find((c) => c.path[out.path.length] === a) : undefined;
      if (out.path.length === 0 && !literal) {
        if (a === 'help') {
          out.help = true;
          continue;
        }
        if (!next) throw new UsageError(`Unknown command "${a}"; run tributary --help for the list of commands`);
      }
      if (next && !literal) out.path.push(a);
      else {
        out.positional.push(a);
        out.rest.push(a);
      }
      continue;
    }
    if (a === '--') {
      literal = true;
      out.rest.push(a);
      continue;
    }
    if (a === '-h' || a === '--help') {
      out.help = true;
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.startsWith('--') ? a.slice(2, eq > 0 ? eq : undefined) : '';
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    const global = GLOBAL_FLAGS.find((f) => f.name === name);
    const spec = findCommand(out.path);
    const flag = global ?? knownFlags(out.path).find((f) => f.name === name);
    if (!flag) {
      if (spec?.ownFlags) {
        out.rest.push(a);
        continue;
      }
      const where = out.path.length ? `tributary ${out.path.join(' ')}` : 'tributary';
      throw new UsageError(`Unknown flag ${a.split('=')[0]} for ${where}; run ${where} --help for its flags`);
    }
    let value: string | true;
    if (flag.value) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value <${flag.value}>`);
      value = v;
    } else {
      if (inline !== undefined && inline !== 'true')
        throw new UsageError(`--${name} takes no value (got --${name}=${inline})`);
      value = true;
    }
    if (global) {
      if (typeof value === 'string') out.globals[name] = value;
      continue;
    }
    if (flag.repeat) {
      const list = out.flags[name];
      out.flags[name] = [...(Array.isArray(list) ? list : []), String(value)];
    } else out.flags[name] = value;
    out.rest.push(`--${name}`);
    if (typeof value === 'string') out.rest.push(value);
  }
  out.spec = findCommand(out.path);
  if (out.globals.output !== undefined && !['json', 'table'].includes(out.globals.output)) {
    throw new UsageError(`--output must be json or table, not ${out.globals.output}`);
  }
  return out;
}

/** Every command path, for completion and the help walker. */
export function allCommandPaths(): string[][] {
  return COMMANDS.map((c) => c.path);
}

export function stringFlag(p: ParsedArgs, name: string): string | undefined {
  const v = p.flags[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v[v.length - 1] : undefined;
}

export function listFlag(p: ParsedArgs, name: string): string[] {
  const v = p.flags[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function intFlag(p: ParsedArgs, name: string): number | undefined {
  const raw = stringFlag(p, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, not ${raw}`);
  return n;
}
