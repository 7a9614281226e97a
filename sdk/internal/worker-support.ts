/**
 * Small worker facilities the built-in sources use: an abortable `sleep`, the offset checks of
 * `alterOffsets` (OffsetFields) and the product version. For the built-in connectors and transforms only: not part of `tributary/sdk`, not semver-stable.
 */
export { sleep } from '../../runtime/util/sleep.ts';
export { OffsetFields } from '../../runtime/worker/offsets-validation.ts';
export { VERSION } from '../../runtime/version.ts';
