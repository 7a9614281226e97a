/**
 * Configuration, part of `tributary/sdk`: {@link ConfigDef} with {@link Validators}; it drives
 * validation, `/config/validate`, the config listing and secret masking.
 */
export { ConfigDef, ParsedConfig, Password, Validators, NO_DEFAULT } from '../runtime/config/config-def.ts';
export type {
  ConfigKey,
  ConfigKeyInit,
  ConfigType,
  ConfigValue,
  Importance,
  Recommender,
  Validator,
  Width,
} from '../runtime/config/config-def.ts';
