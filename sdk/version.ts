/**
 * The SDK's version. Plugins declare the range they were built for in their manifest
 * (`package.json` → `"tributary": {"sdk": "^0.1.0"}`) and a worker refuses a plugin whose range
 * does not include its SDK_VERSION, naming both. It follows the `tributary` package version; the
 * SDK surface is semver-stable: a minor release only adds, a major release may remove or change.
 */
export { SDK_VERSION } from '../runtime/plugins/sdk-version.ts';
