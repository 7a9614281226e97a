/**
 * The imports Confluent's ProtobufData uses, which Confluent-compatible registries know without
 * references: Confluent's Decimal, Google's Date and TimeOfDay, and google/protobuf/* (protobufjs
 * ships those). `confluent/meta.proto` only declares options: its options are read from the parsed
 * text, so it is never loaded.
 */
import protobuf from 'protobufjs';

const TEXTS: Record<string, string> = {
  'confluent/type/decimal.proto': `syntax = "proto3";
package confluent.type;
message Decimal {
  bytes value = 1;
  uint32 precision = 2;
  int32 scale = 3;
}
`,
  'google/type/date.proto': `syntax = "proto3";
package google.type;
message Date {
  int32 year = 1;
  int32 month = 2;
  int32 day = 3;
}
`,
  'google/type/timeofday.proto': `syntax = "proto3";
package google.type;
message TimeOfDay {
  int32 hours = 1;
  int32 minutes = 2;
  int32 seconds = 3;
  int32 nanos = 4;
}
`,
};

/** Imports that are declarations only (options), never needed to encode or decode. */
const DECLARATION_ONLY = new Set(['confluent/meta.proto', 'google/protobuf/descriptor.proto']);

export function isWellKnownImport(path: string): boolean {
  return path in TEXTS || DECLARATION_ONLY.has(path) || protobuf.common.get(path) !== null;
}

/** Adds a well-known import's types to the root; false when the import is not a well-known one. */
export function addWellKnownImport(root: protobuf.Root, path: string): boolean {
  if (DECLARATION_ONLY.has(path)) return true;
  const text = TEXTS[path];
  if (text !== undefined) {
    protobuf.parse(text, root, { keepCase: true });
    return true;
  }
  const json = protobuf.common.get(path);
  if (json) {
    root.addJSON((json as { nested: Record<string, protobuf.AnyNestedObject> }).nested);
    return true;
  }
  return false;
}
