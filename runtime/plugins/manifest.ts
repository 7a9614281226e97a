/**
 * The plugin manifest: the `tributary` field of a plugin package's package.json.
 *
 * ```json
 * "tributary": {
 *   "sdk": "^0.1.0",
 *   "plugins": "dist/index.js",
 *   "version": "1.2.0",
 *   "classes": [{ "kind": "source", "class": "com.example.FooSourceConnector", "aliases": ["FooSource"] }]
 * }
 * ```
 *
 * - `sdk`: the semver range of SDK versions the package was built for; a worker whose SDK_VERSION is
 *   outside it refuses the package, naming both versions.
 * - `plugins`: the module exporting `tributaryPlugins` (default: the package's `main`, else index.js).
 * - `version`: the version listed for its plugins that declare none (default: the package version).
 * - `classes`: what the package provides; each must match an exported descriptor (kind and class),
 *   and every exported descriptor must be declared. Aliases listed here are added to the descriptor's.
 */
import semver from 'semver';
import type { PluginType } from './types.ts';
import { SDK_VERSION } from './sdk-version.ts';

const KINDS: readonly PluginType[] = ['source', 'sink', 'converter', 'header_converter', 'transformation', 'predicate'];

/** One plugin a package declares in its manifest: its kind, the class name users configure and extra aliases. */
export interface ManifestClass {
  kind: PluginType;
  class: string;
  aliases?: string[];
}

/** The `tributary` field of a plugin package's package.json (see the file comment for each field). */
export interface PluginManifest {
  sdk?: string;
  plugins?: string;
  version?: string;
  classes?: ManifestClass[];
}

/** What loading needs from a package.json. */
export interface PluginPackage {
  name: string;
  version: string | undefined;
  main: string | undefined;
  manifest: PluginManifest | undefined;
}

export class PluginManifestError extends Error {}

/** Reads and checks the manifest fields of a parsed package.json; throws naming the field to fix. */
export function readPluginPackage(pkg: Record<string, unknown>, where: string): PluginPackage {
  const name = typeof pkg.name === 'string' ? pkg.name : where;
  const bad = (field: string, value: unknown, fix: string): never => {
    throw new PluginManifestError(
      `${name}: invalid package.json field "tributary.${field}" (${JSON.stringify(value)}): ${fix}`,
    );
  };
  const raw = pkg.tributary;
  let manifest: PluginManifest | undefined;
  if (raw !== undefined) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new PluginManifestError(
        `${name}: the package.json field "tributary" must be an object such as {"sdk": "^${SDK_VERSION}", "plugins": "dist/index.js"}`,
      );
    const m = raw as Record<string, unknown>;
    manifest = {};
    if (m.sdk !== undefined) {
      if (typeof m.sdk !== 'string' || semver.validRange(m.sdk) === null)
        bad('sdk', m.sdk, `must be a semver range such as "^${SDK_VERSION}"`);
      manifest.sdk = m.sdk as string;
    }
    if (m.plugins !== undefined) {
      if (typeof m.plugins !== 'string' || m.plugins.trim() === '')
        bad('plugins', m.plugins, 'must be the path of the module exporting tributaryPlugins, e.g. "dist/index.js"');
      manifest.plugins = m.plugins as string;
    }
    if (m.version !== undefined) {
      if (typeof m.version !== 'string' || m.version.trim() === '')
        bad('version', m.version, 'must be a non-empty version string such as "1.0.0"');
      manifest.version = m.version as string;
    }
    if (m.classes !== undefined) {
      if (!Array.isArray(m.classes))
        bad('classes', m.classes, 'must be a list of {"kind", "class", "aliases"} objects');
      manifest.classes = (m.classes as unknown[]).map((c, i) => {
        const e = (c ?? {}) as Record<string, unknown>;
        if (!KINDS.includes(e.kind as PluginType))
          bad(`classes[${i}].kind`, e.kind, `must be one of ${KINDS.join(', ')}`);
        if (typeof e.class !== 'string' || e.class.trim() === '')
          bad(
            `classes[${i}].class`,
            e.class,
            'must be the class name users configure, e.g. "com.example.FooSourceConnector"',
          );
        if (e.aliases !== undefined && (!Array.isArray(e.aliases) || e.aliases.some((a) => typeof a !== 'string')))
          bad(`classes[${i}].aliases`, e.aliases, 'must be a list of names');
        return { kind: e.kind as PluginType, class: e.class as string, aliases: e.aliases as string[] | undefined };
      });
    }
  }
  return {
    name,
    version: typeof pkg.version === 'string' ? pkg.version : undefined,
    main: typeof pkg.main === 'string' ? pkg.main : undefined,
    manifest,
  };
}

/** Refuses a package built for an SDK range that does not include this worker's SDK version. */
export function checkSdkRange(pkg: PluginPackage, sdkVersion: string = SDK_VERSION): void {
  const range = pkg.manifest?.sdk;
  if (range === undefined) return;
  if (!semver.satisfies(sdkVersion, range, { includePrerelease: true })) {
    throw new PluginManifestError(
      `${pkg.name}${pkg.version ? `@${pkg.version}` : ''} requires Tributary SDK ${range}, but this worker provides SDK ${sdkVersion}: ` +
        `install a release of the plugin built for SDK ${sdkVersion} (its package.json "tributary.sdk" range must include ${sdkVersion}), or run a Tributary version within ${range}`,
    );
  }
}
