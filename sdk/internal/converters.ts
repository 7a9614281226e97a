/** The worker's JSON and byte-array converters, for a sink that writes records as a converter would. For the built-in connectors and transforms only: not part of `tributary/sdk`, not semver-stable. */
export { JsonConverter } from '../../runtime/converters/json-converter.ts';
export { ByteArrayConverter } from '../../runtime/converters/simple-converters.ts';
