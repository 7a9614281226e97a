/** The Confluent Schema Registry REST API's data, as typed values. */

export type SchemaType = 'AVRO' | 'PROTOBUF' | 'JSON';

/** A schema's import of another registered schema (Protobuf imports, Avro named types). */
export interface SchemaReference {
  /** The import name, e.g. `confluent/meta.proto`. */
  name: string;
  subject: string;
  version: number;
}

/** A schema as sent to the registry. */
export interface SchemaDefinition {
  schemaType: SchemaType;
  schema: string;
  references: SchemaReference[];
}

/** A schema as the registry returns it, with its global id (and subject/version when known). */
export interface RegisteredSchema extends SchemaDefinition {
  id: number;
  subject?: string;
  version?: number;
}

/** The error body the registry returns: `{"error_code": 40401, "message": "..."}`. */
export interface RegistryErrorBody {
  error_code?: number;
  message?: string;
}
