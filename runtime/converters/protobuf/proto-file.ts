/**
 * A small model of a proto3 file and its text rendering, with Confluent's `confluent.field_meta`
 * / `confluent.message_meta` options (doc and string params) carrying Connect metadata.
 */

export interface Meta {
  doc?: string;
  params: Array<[string, string]>;
}

export interface ProtoField {
  kind: 'field';
  label?: 'repeated' | 'optional';
  type: string;
  name: string;
  number: number;
  meta?: Meta;
}

export interface ProtoOneof {
  kind: 'oneof';
  name: string;
  fields: ProtoField[];
}

export interface ProtoEnum {
  kind: 'enum';
  name: string;
  values: Array<[string, number]>;
}

export interface ProtoMessage {
  kind: 'message';
  name: string;
  meta?: Meta;
  members: Array<ProtoField | ProtoOneof>;
  nested: Array<ProtoMessage | ProtoEnum>;
}

export interface ProtoFile {
  package?: string;
  imports: string[];
  messages: ProtoMessage[];
}

export function renderProto(file: ProtoFile): string {
  const out: string[] = ['syntax = "proto3";'];
  if (file.package) out.push(`package ${file.package};`);
  if (file.imports.length) out.push('');
  for (const i of [...file.imports].sort()) out.push(`import "${i}";`);
  for (const m of file.messages) {
    out.push('');
    renderMessage(m, '', out);
  }
  return out.join('\n') + '\n';
}

function renderMessage(m: ProtoMessage, indent: string, out: string[]): void {
  out.push(`${indent}message ${m.name} {`);
  const inner = indent + '  ';
  if (m.meta && hasMeta(m.meta)) out.push(`${inner}option (confluent.message_meta) = ${metaText(m.meta)};`);
  for (const member of m.members) {
    if (member.kind === 'field') out.push(`${inner}${fieldText(member)}`);
    else {
      out.push(`${inner}oneof ${member.name} {`);
      for (const f of member.fields) out.push(`${inner}  ${fieldText(f)}`);
      out.push(`${inner}}`);
    }
  }
  for (const n of m.nested) {
    if (n.kind === 'message') renderMessage(n, inner, out);
    else {
      out.push(`${inner}enum ${n.name} {`);
      for (const [name, num] of n.values) out.push(`${inner}  ${name} = ${num};`);
      out.push(`${inner}}`);
    }
  }
  out.push(`${indent}}`);
}

function fieldText(f: ProtoField): string {
  const opts = f.meta && hasMeta(f.meta) ? ` [(confluent.field_meta) = ${metaText(f.meta)}]` : '';
  return `${f.label ? `${f.label} ` : ''}${f.type} ${f.name} = ${f.number}${opts};`;
}

export function hasMeta(meta: Meta): boolean {
  return meta.doc !== undefined || meta.params.length > 0;
}

function metaText(meta: Meta): string {
  const parts: string[] = [];
  if (meta.doc !== undefined) parts.push(`doc: ${quote(meta.doc)}`);
  if (meta.params.length)
    parts.push(`params: [${meta.params.map(([k, v]) => `{ key: ${quote(k)}, value: ${quote(v)} }`).join(', ')}]`);
  return `{ ${parts.join(', ')} }`;
}

/** A proto string literal: quotes, backslashes and control characters escaped; other text as is (files are UTF-8). */
function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\${c.toString(8).padStart(3, '0')}`;
    else out += ch;
  }
  return out + '"';
}
