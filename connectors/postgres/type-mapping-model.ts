/** What a PostgreSQL column type maps to (schema, value parser, fallback, TOAST placeholder), and its settings. */
import type { SchemaBuilder } from '../../sdk/data.ts';
import type { PostgresConnectorSettings } from './config.ts';

export interface TypeMapping {
  /** A fresh builder for the column's schema (without optional/default). */
  builder(): SchemaBuilder;
  fromText(text: string): unknown;
  /** Debezium's fallback value for the type, when it has one. */
  zero: unknown;
  /** The unavailable-value placeholder for this type, or undefined when the type cannot be TOASTed. */
  placeholder: unknown;
}

export type MappingSettings = Pick<
  PostgresConnectorSettings,
  | 'decimalMode'
  | 'timePrecisionMode'
  | 'binaryMode'
  | 'intervalMode'
  | 'hstoreMode'
  | 'moneyFractionDigits'
  | 'includeUnknownDatatypes'
  | 'unavailableValuePlaceholder'
>;

/** A mapping from its parts. */
export const simple = (
  builder: () => SchemaBuilder,
  fromText: (t: string) => unknown,
  zero: unknown,
  placeholder?: unknown,
): TypeMapping => ({ builder, fromText, zero, placeholder });
