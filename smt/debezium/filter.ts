/**
 * io.debezium.transforms.Filter: keeps the records for which `condition` is true and drops those for
 * which it is false (a non-boolean result fails the record). See scripting.ts for the languages.
 */
import type { ConfigDef, ParsedConfig } from '../../sdk/config.ts';
import { ConfigException, DataException } from '../../sdk/errors.ts';
import type { AnyRecord } from '../../sdk/spi.ts';
import { javaToString } from '../../sdk/internal/java-format.ts';
import { ScriptingTransformation, scriptingConfig } from './scripting.ts';

export const CONTENT_FILTER_CONFIG = scriptingConfig([
  {
    name: 'condition',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    documentation:
      'An expression determining whether the record should be filtered out. When evaluated to true the record is retained, otherwise it is removed.',
  },
  {
    name: 'expression',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation: 'Alias of condition (Debezium uses it for WebAssembly filters, which Tributary does not run).',
  },
]);

export class ContentFilter extends ScriptingTransformation {
  config(): ConfigDef {
    return CONTENT_FILTER_CONFIG;
  }

  protected expressionSource(c: ParsedConfig): { key: string; source: string } {
    const condition = c.getOptionalString('condition');
    if (condition !== null) return { key: 'condition', source: condition };
    const expression = c.getOptionalString('expression');
    if (expression !== null) return { key: 'expression', source: expression };
    throw new ConfigException(
      'Missing required configuration "condition" which has no default value. An expression determining whether the record should be filtered out.',
      { key: 'condition' },
    );
  }

  protected doApply<R extends AnyRecord>(record: R, result: unknown): R | null {
    if (typeof result !== 'boolean')
      throw new DataException(
        `Value '${javaToString(result)}' returned by the condition is not a boolean (expression '${this.expression.source}')`,
      );
    return result ? record : null;
  }
}
