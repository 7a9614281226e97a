/**
 * Tributary's safe expression language for io.debezium.transforms.Filter / ContentBasedRouter:
 * the Groovy / JavaScript condition subset those transforms are configured with, parsed once when
 * the connector is configured (anything outside the subset is a ConfigException naming the
 * problem) and evaluated per record without a script engine, `eval` or `new Function`.
 */
import { ConfigException, DataException } from '../../sdk/errors.ts';
import { parseExpression, type Node } from './parser.ts';
import { evaluate, isEvalError, type Bindings, type Language } from './evaluate.ts';

export type { Bindings, Language } from './evaluate.ts';
export { VARIABLES, METHODS } from './parser.ts';

export class Expression {
  private readonly ast: Node;

  /** Throws ConfigException when `source` is not in the supported subset. */
  constructor(
    readonly source: string,
    readonly language: Language = 'expr',
  ) {
    if (source.trim() === '') throw new ConfigException('Empty expression');
    this.ast = parseExpression(source, language);
  }

  /** The expression's value; a failure (e.g. a property of null) is a DataException naming the expression. */
  evaluate(env: Bindings): unknown {
    try {
      return evaluate(this.ast, env, this.language);
    } catch (err) {
      if (isEvalError(err) || err instanceof ConfigException) {
        throw new DataException(
          `Error while evaluating expression '${this.source}' for record on topic '${env.topic}': ${(err as Error).message}`,
          { cause: err },
        );
      }
      throw err;
    }
  }
}
