/**
 * Java's text forms of values: `Double.toString` (JDK 19+ and JDK 17 digits), Connect's
 * `Values` (convertToString, parseString) and `SimpleDateFormat`. For the built-in connectors and transforms only: not part of `tributary/sdk`, not semver-stable.
 */
export { javaDoubleToString, javaFloatToString } from '../../runtime/converters/java-number-format.ts';
export { java17DoubleToString } from '../../runtime/converters/java17-floating-decimal.ts';
export { javaToString, parseString } from '../../runtime/data/values/values.ts';
export type { SchemaAndValue } from '../../runtime/data/values/values.ts';
export {
  IllegalPatternError,
  ParseError,
  SimpleDateFormat,
  dateFormatFor,
} from '../../runtime/data/values/simple-date-format.ts';
