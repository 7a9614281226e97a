/** The schemas a registered schema references (Protobuf imports, Avro named types), dependencies first. */
import type { SchemaRegistryClient } from './registry-client.ts';
import type { RegisteredSchema, SchemaReference } from './types.ts';

export async function resolveReferences(
  client: SchemaRegistryClient,
  refs: readonly SchemaReference[],
  seen = new Set<string>(),
): Promise<Array<RegisteredSchema & { name: string }>> {
  const out: Array<RegisteredSchema & { name: string }> = [];
  for (const ref of refs) {
    const key = `${ref.subject}\u0000${ref.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const schema = await client.getVersion(ref.subject, ref.version);
    out.push(...(await resolveReferences(client, schema.references, seen)));
    out.push({ ...schema, name: ref.name });
  }
  return out;
}
