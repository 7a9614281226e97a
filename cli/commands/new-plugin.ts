/**
 * `tributary new connector|sink|transform|converter <name> [--dir DIR]`: writes a ready plugin
 * project (new-templates.ts) whose `npm test` passes and which a worker loads from `plugin.path`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError, type ParsedArgs } from '../args.ts';
import type { CliIo } from '../io.ts';
import { PROJECT_ROOT } from '../../runtime/util/project-root.ts';
import { SDK_VERSION } from '../../sdk/version.ts';
import { projectFiles, TEMPLATES, type PluginKind, type TemplateVars } from './new-templates.ts';

/** The directory of this Tributary installation (what `file:` SDK dependencies point at). */
const TRIBUTARY_ROOT = PROJECT_ROOT;

export interface NewPluginOptions {
  kind: PluginKind;
  name: string;
  /** Where the project goes (default ./<name>); must not exist or be empty. */
  dir?: string;
  namespace?: string;
  /** npm spec of the SDK dependency (default file:<this installation>). */
  sdk?: string;
}

/** Writes the project; returns its directory and the files written. */
export function writePluginProject(opts: NewPluginOptions): { dir: string; files: string[] } {
  if (!(opts.kind in TEMPLATES))
    throw new UsageError(`Unknown plugin kind "${opts.kind}": use one of ${Object.keys(TEMPLATES).join(', ')}`);
  if (!/^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/.test(opts.name)) {
    throw new UsageError(
      `"${opts.name}" is not a valid npm package name: use lower-case letters, digits, ".", "_" and "-" (e.g. my-source)`,
    );
  }
  const namespace = opts.namespace ?? 'com.example';
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(namespace))
    throw new UsageError(`--namespace "${namespace}" is not a dotted name such as com.example`);
  const base = opts.name.replace(/^@[^/]+\//, '');
  const vars: TemplateVars = {
    name: opts.name,
    pascal: base
      .split(/[^a-zA-Z0-9]+/)
      .filter(Boolean)
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join('')
      .replace(/^(\d)/, 'P$1'),
    namespace,
    sdkRange: `^${SDK_VERSION}`,
    sdkSpec: opts.sdk ?? `file:${TRIBUTARY_ROOT}`,
  };
  const dir = path.resolve(opts.dir ?? base);
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0)
    throw new UsageError(`${dir} exists and is not empty: choose another --dir or remove it`);
  const files = projectFiles(opts.kind, vars);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return { dir, files: Object.keys(files) };
}

export async function runNewCommand(p: ParsedArgs, io: CliIo): Promise<number> {
  const kind = p.path[1] as PluginKind;
  const name = p.positional[0];
  if (!name) throw new UsageError(`tributary new ${kind} <name> [--dir DIR] [--namespace com.example] [--sdk SPEC]`);
  const str = (flag: string) => (typeof p.flags[flag] === 'string' ? (p.flags[flag] as string) : undefined);
  const { dir, files } = writePluginProject({
    kind,
    name,
    dir: str('dir'),
    namespace: str('namespace'),
    sdk: str('sdk'),
  });
  io.stdout.write(
    `Created ${dir}:\n${files.map((f) => `  ${f}`).join('\n')}\n\nNext:\n  cd ${path.relative(process.cwd(), dir) || '.'}\n  npm install\n  npm test\n  npm run build   # then add ${dir} to the worker's plugin.path\n`,
  );
  return 0;
}
