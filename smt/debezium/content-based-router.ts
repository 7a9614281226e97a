/**
 * io.debezium.transforms.ContentBasedRouter: `topic.expression` gives the record's new topic; null
 * keeps the original topic (any other non-string result fails the record). See scripting.ts.
 */
import type { ConfigDef, ParsedConfig } from '../../sdk/config.ts';
import { DataException } from '../../sdk/errors.ts';
import type { AnyRecord } from '../../sdk/spi.ts';
import { javaToString } from '../../sdk/internal/java-format.ts';
import { ScriptingTransformation, scriptingConfig } from './scripting.ts';

export const CONTENT_BASED_ROUTER_CONFIG = scriptingConfig([
  {
    name: 'topic.expression',
    type: 'STRING',
    importance: 'HIGH',
    documentation:
      'An expression determining the new name of the topic the record should use. When null the record is delivered to the original topic.',
  },
]);

export class ContentBasedRouter extends ScriptingTransformation {
  config(): ConfigDef {
    return CONTENT_BASED_ROUTER_CONFIG;
  }

  protected expressionSource(c: ParsedConfig): { key: string; source: string } {
    return { key: 'topic.expression', source: c.getString('topic.expression') };
  }

  protected doApply<R extends AnyRecord>(record: R, result: unknown): R | null {
    if (result === null || result === undefined) return record;
    if (typeof result !== 'string')
      throw new DataException(
        `Value '${javaToString(result)}' returned by the topic expression is not a String (expression '${this.expression.source}')`,
      );
    return record.newRecord({ topic: result }) as R;
  }
}
