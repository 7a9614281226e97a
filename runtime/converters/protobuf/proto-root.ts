/**
 * A registered Protobuf schema (its text and the texts of its references) parsed into a
 * protobufjs Root, with the top-level message order kept so Confluent's message indexes (the
 * path of a message among the file's messages and their nested messages) resolve both ways.
 */
import protobuf from 'protobufjs';
import { DataException } from '../../errors.ts';
import { addWellKnownImport } from './well-known-protos.ts';

export interface ParsedProto {
  root: protobuf.Root;
  /** The file's top-level messages in declaration order. */
  topLevel: protobuf.Type[];
}

export function parseProto(
  text: string,
  references: ReadonlyArray<{ name: string; schema: string }> = [],
): ParsedProto {
  const root = new protobuf.Root();
  try {
    const parsed = protobuf.parse(text, root, { keepCase: true, alternateCommentMode: true });
    const ns = parsed.package ? root.lookup(parsed.package) : root;
    const topLevel =
      ns && 'nestedArray' in ns
        ? (ns as protobuf.Namespace).nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type)
        : [];
    const refs = new Map(references.map((r) => [r.name, r.schema]));
    const loaded = new Set<string>();
    const load = (imports: string[] | undefined) => {
      for (const path of imports ?? []) {
        if (loaded.has(path)) continue;
        loaded.add(path);
        const refText = refs.get(path);
        if (refText !== undefined) {
          const p = protobuf.parse(refText, root, { keepCase: true, alternateCommentMode: true });
          load(p.imports);
          load(p.weakImports);
        } else if (!addWellKnownImport(root, path)) {
          throw new DataException(
            `The Protobuf schema imports "${path}", which the registry did not return as a reference`,
          );
        }
      }
    };
    load(parsed.imports);
    load(parsed.weakImports);
    root.resolveAll();
    return { root, topLevel };
  } catch (err) {
    if (err instanceof DataException) throw err;
    throw new DataException(`Invalid Protobuf schema: ${(err as Error).message}`, { cause: err });
  }
}

/** The message a Confluent message-index path points at. */
export function typeAtIndexes(proto: ParsedProto, indexes: readonly number[]): protobuf.Type {
  let candidates = proto.topLevel;
  let type: protobuf.Type | undefined;
  for (const i of indexes) {
    type = candidates[i];
    if (!type) throw new DataException(`Message indexes [${indexes.join(', ')}] do not name a message of the schema`);
    candidates = type.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
  }
  if (!type) throw new DataException('Empty Protobuf message indexes');
  return type;
}

/** The message-index path of a message (full name without the leading dot). */
export function indexesOf(proto: ParsedProto, fullName: string): number[] {
  const search = (types: protobuf.Type[], path: number[]): number[] | undefined => {
    for (let i = 0; i < types.length; i++) {
      if (types[i].fullName.slice(1) === fullName) return [...path, i];
      const found = search(
        types[i].nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type),
        [...path, i],
      );
      if (found) return found;
    }
    return undefined;
  };
  const found = search(proto.topLevel, []);
  if (!found) throw new DataException(`The Protobuf schema has no message ${fullName}`);
  return found;
}
