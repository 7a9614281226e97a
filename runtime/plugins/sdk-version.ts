/**
 * The version of the plugin SDK (the SPI in runtime/spi, the data model, ConfigDef, the errors and
 * the helpers in sdk/) this worker implements. A plugin's manifest names the SDK range it was built
 * for; see manifest.ts. Follows the `tributary` package version (sdk/version.test.ts keeps them equal).
 */
export const SDK_VERSION = '0.1.0';
