/**
 * The shared part of io.debezium.transforms.Filter and ContentBasedRouter (Debezium's
 * ScriptingTransformation): `language`, the expression, `topic.regex` and `null.handling.mode`.
 *
 * No script engine runs. `jsr223.groovy`, `jsr223.graal.js` (also `jsr223.js` / `jsr223.javascript`)
 * and `tributary.expr` are all parsed as Tributary's safe expression subset (smt/expression), with
 * Groovy or JavaScript comparison semantics; an expression outside the subset, or any other
 * language, is a ConfigException naming the problem.
 */
import { ConfigDef, ParsedConfig, type ConfigKeyInit } from '../../sdk/config.ts';
import { ConfigException } from '../../sdk/errors.ts';
import type { AnyRecord, Transformation } from '../../sdk/spi.ts';
import { SmtValidators } from '../util/config.ts';
import { compileJavaRegex, type JavaPattern } from '../../sdk/java-regex.ts';
import { Expression, type Language } from '../expression/expression.ts';

export const LANGUAGES: Readonly<Record<string, Language>> = {
  'jsr223.groovy': 'groovy',
  'jsr223.graal.js': 'js',
  'jsr223.js': 'js',
  'jsr223.javascript': 'js',
  'tributary.expr': 'expr',
};

export function languageOf(language: string): Language {
  const l = LANGUAGES[language.trim()];
  if (l) return l;
  const supported =
    'Tributary evaluates jsr223.groovy, jsr223.graal.js and tributary.expr with its own safe expression subset (no script engine)';
  if (language.startsWith('wasm.'))
    throw new ConfigException(
      `Invalid value ${language} for configuration language: WebAssembly filters are not supported; ${supported}`,
      { key: 'language' },
    );
  if (language.startsWith('jsr223.'))
    throw new ConfigException(
      `Invalid value ${language} for configuration language: Implementation of language '${language.slice('jsr223.'.length)}' not found; ${supported}`,
      { key: 'language' },
    );
  throw new ConfigException(
    `Invalid value ${language} for configuration language: Value for option 'language' must begin with 'jsr223.', e.g. 'jsr223.groovy', or be 'tributary.expr'`,
    { key: 'language' },
  );
}

export function scriptingConfig(expressionKeys: ConfigKeyInit[]): ConfigDef {
  const def = new ConfigDef()
    .define({
      name: 'topic.regex',
      type: 'STRING',
      defaultValue: null,
      importance: 'LOW',
      validator: SmtValidators.javaRegex(),
      documentation: 'A regex used for selecting the topic(s) to which this transformation should be applied.',
    })
    .define({
      name: 'language',
      type: 'STRING',
      importance: 'HIGH',
      documentation: `An expression language used to evaluate the expression: ${Object.keys(LANGUAGES).join(', ')} (all parsed as Tributary's safe expression subset).`,
    });
  for (const k of expressionKeys) def.define(k);
  return def.define({
    name: 'null.handling.mode',
    type: 'STRING',
    defaultValue: 'keep',
    importance: 'LOW',
    validator: SmtValidators.caseInsensitiveValidString('drop', 'keep', 'evaluate'),
    documentation:
      'How to handle records with null value. Options are: keep - records are passed (the default),drop - records are removed,evaluate - the null records are passed for evaluation.',
  });
}

export abstract class ScriptingTransformation implements Transformation {
  protected expression!: Expression;
  private topicRegex: JavaPattern | null = null;
  private nullHandling = 'keep';

  abstract config(): ConfigDef;
  /** The configured expression text and the key it came from. */
  protected abstract expressionSource(c: ParsedConfig): { key: string; source: string };
  protected abstract doApply<R extends AnyRecord>(record: R, result: unknown): R | null;

  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(this.config(), props);
    const language = languageOf(c.getString('language'));
    const { key, source } = this.expressionSource(c);
    try {
      this.expression = new Expression(source, language);
    } catch (err) {
      throw new ConfigException(
        `Invalid value ${source} for configuration ${key}: Failed to parse expression: ${(err as Error).message}`,
        { key, cause: err },
      );
    }
    const regex = c.getOptionalString('topic.regex');
    this.topicRegex = regex ? compileJavaRegex(regex, 'topic.regex') : null;
    this.nullHandling = c.getString('null.handling.mode').trim().toLowerCase();
  }

  apply<R extends AnyRecord>(record: R): R | null {
    if (this.topicRegex && !this.topicRegex.matches(record.topic)) return record;
    if (record.value === null || record.value === undefined) {
      if (this.nullHandling === 'keep') return record;
      if (this.nullHandling === 'drop') return null;
    }
    const result = this.expression.evaluate({
      value: record.value ?? null,
      key: record.key ?? null,
      valueSchema: record.valueSchema,
      keySchema: record.keySchema,
      topic: record.topic,
      headers: record.headers,
      partition: record.kafkaPartition,
      timestamp: record.timestamp,
    });
    return this.doApply(record, result);
  }
}
