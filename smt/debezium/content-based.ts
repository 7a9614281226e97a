/**
 * io.debezium.transforms.Filter and io.debezium.transforms.ContentBasedRouter with a safe
 * expression language instead of a scripting engine: `language` accepts jsr223.groovy,
 * jsr223.graal.js and tributary.expr, and the expression must stay within the subset
 * documented in smt/expression/expression.ts (anything else is a ConfigException at configure time).
 */
import { ConfigDef, ParsedConfig, Validators } from '../../runtime/config/config-def.ts';
import { ConfigException, DataException } from '../../runtime/errors.ts';
import type { AnyRecord, Transformation } from '../../runtime/spi/transformation.ts';
import { Expression, type Bindings } from '../expression/expression.ts';

const LANGUAGES = ['jsr223.groovy', 'jsr223.graal.js', 'tributary.expr'];

const common = () => new ConfigDef()
  .define({ name: 'language', type: 'STRING', importance: 'HIGH', documentation: `The language of the expression: ${LANGUAGES.join(', ')} (all evaluated by Tributary's safe expression subset).` })
  .define({ name: 'topic.regex', type: 'STRING', defaultValue: null, importance: 'LOW', documentation: 'Apply only to records whose topic matches this regular expression.', validator: Validators.regex() })
  .define({ name: 'null.handling.mode', type: 'STRING', defaultValue: 'keep', importance: 'MEDIUM', documentation: 'How tombstones (null values) are handled: keep (pass through), drop, or evaluate (run the expression with value = null).', validator: Validators.in('keep', 'drop', 'evaluate') });

export const FILTER_CONFIG = common().define({ name: 'condition', type: 'STRING', importance: 'HIGH', documentation: 'An expression evaluated per record; records for which it is true are kept, the others dropped.' });
export const ROUTER_CONFIG = common().define({ name: 'topic.expression', type: 'STRING', importance: 'HIGH', documentation: 'An expression giving the topic name for a record; null keeps the original topic.' });

abstract class ScriptingTransformation implements Transformation {
  protected expression!: Expression;
  private topicRegex: RegExp | null = null;
  private nullHandling = 'keep';

  abstract config(): ConfigDef;
  protected abstract readonly expressionKey: string;
  protected abstract onResult<R extends AnyRecord>(record: R, result: unknown): R | null;

  version(): string { return '1.0.0'; }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(this.config(), props);
    const language = c.getString('language');
    if (!LANGUAGES.includes(language)) throw new ConfigException(`Invalid value ${language} for configuration language: use one of ${LANGUAGES.join(', ')}`, { key: 'language' });
    const source = c.getString(this.expressionKey);
    try {
      this.expression = new Expression(source);
    } catch (err) {
      throw new ConfigException(`${this.expressionKey}: ${(err as Error).message}`, { key: this.expressionKey, cause: err });
    }
    const regex = c.getOptionalString('topic.regex');
    this.topicRegex = regex ? new RegExp(`^(?:${regex})$`) : null;
    this.nullHandling = c.getString('null.handling.mode');
  }

  apply<R extends AnyRecord>(record: R): R | null {
    if (this.topicRegex && !this.topicRegex.test(record.topic)) return record;
    if (record.value === null || record.value === undefined) {
      if (this.nullHandling === 'keep') return record;
      if (this.nullHandling === 'drop') return null;
    }
    const env: Bindings = {
      value: record.value, key: record.key, valueSchema: record.valueSchema, keySchema: record.keySchema,
      topic: record.topic, headers: record.headers, partition: record.kafkaPartition, timestamp: record.timestamp,
    };
    return this.onResult(record, this.expression.evaluate(env));
  }
}

export class ContentFilter extends ScriptingTransformation {
  protected readonly expressionKey = 'condition';
  config(): ConfigDef { return FILTER_CONFIG; }
  protected onResult<R extends AnyRecord>(record: R, result: unknown): R | null {
    if (typeof result !== 'boolean' && result !== null) throw new DataException(`Filter condition "${this.expression.source}" must evaluate to a boolean, got ${typeof result}`);
    return result === true ? record : null;
  }
}

export class ContentBasedRouter extends ScriptingTransformation {
  protected readonly expressionKey = 'topic.expression';
  config(): ConfigDef { return ROUTER_CONFIG; }
  protected onResult<R extends AnyRecord>(record: R, result: unknown): R | null {
    if (result === null || result === undefined) return record;
    if (typeof result !== 'string') throw new DataException(`Routing expression "${this.expression.source}" must evaluate to a topic name (string), got ${typeof result}`);
    return record.newRecord({ topic: result }) as R;
  }
}
