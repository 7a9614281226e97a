/**
 * Generates docs/sdk-api.md, the API reference of the plugin SDK, from the TSDoc comments and the
 * types of what `tributary/sdk` and `tributary/sdk/testing` export (the TypeScript compiler reads
 * the sources; nothing is written by hand). Run: npx tsx docs/sdk-api.ts > docs/sdk-api.md
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRIES = [
  { module: 'tributary/sdk', file: 'sdk/index.ts' },
  { module: 'tributary/sdk/testing', file: 'sdk/testing/index.ts' },
];

const FLAGS =
  ts.TypeFormatFlags.NoTruncation |
  ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope |
  ts.TypeFormatFlags.WriteArrowStyleSignature;

function docOf(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  const text = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
  const tags = symbol
    .getJsDocTags(checker)
    .filter((t) => t.name !== 'link')
    .map((t) => `@${t.name} ${ts.displayPartsToString(t.text ?? [])}`.trim());
  return [text, ...tags]
    .filter(Boolean)
    .join('\n\n')
    .replace(/\{@link ([^}]+)\}/g, '`$1`');
}

/** The file's opening doc comment, as Markdown text. */
function fileComment(file: ts.SourceFile): string {
  const range = ts.getLeadingCommentRanges(file.text, 0)?.find((r) => file.text.startsWith('/**', r.pos));
  if (!range) return '';
  return file.text
    .slice(range.pos + 3, range.end - 2)
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim()
    .replace(/\{@link ([^}]+)\}/g, '`$1`');
}

function kindOf(decl: ts.Declaration): string {
  if (ts.isClassDeclaration(decl))
    return decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.AbstractKeyword) ? 'abstract class' : 'class';
  if (ts.isInterfaceDeclaration(decl)) return 'interface';
  if (ts.isTypeAliasDeclaration(decl)) return 'type';
  if (ts.isFunctionDeclaration(decl)) return 'function';
  if (ts.isVariableDeclaration(decl)) return 'const';
  if (ts.isEnumDeclaration(decl)) return 'enum';
  return ts.SyntaxKind[decl.kind];
}

function isHidden(member: ts.ClassElement | ts.TypeElement): boolean {
  const mods = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
  return (
    mods.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword) ||
    (member.name !== undefined && ts.isPrivateIdentifier(member.name))
  );
}

function memberLine(member: ts.ClassElement | ts.TypeElement, checker: ts.TypeChecker): string | null {
  if (isHidden(member)) return null;
  const mods = ts.canHaveModifiers(member)
    ? (ts.getModifiers(member) ?? [])
        .map((m) => m.getText())
        .filter((m) => ['protected', 'static', 'abstract', 'readonly'].includes(m))
    : [];
  const prefix = mods.length ? `${mods.join(' ')} ` : '';
  const name = member.name ? member.name.getText() : '';
  if (ts.isConstructorDeclaration(member)) {
    const sig = checker.getSignatureFromDeclaration(member);
    return sig ? `new ${checker.signatureToString(sig, undefined, FLAGS)}` : null;
  }
  if (ts.isMethodDeclaration(member) || ts.isMethodSignature(member)) {
    const sig = checker.getSignatureFromDeclaration(member);
    return sig
      ? `${prefix}${name}${member.questionToken ? '?' : ''}${checker.signatureToString(sig, undefined, FLAGS).replace(/ => /, ': ')}`
      : null;
  }
  if (ts.isGetAccessorDeclaration(member))
    return `${prefix}get ${name}: ${checker.typeToString(checker.getTypeAtLocation(member), undefined, FLAGS)}`;
  if (ts.isPropertyDeclaration(member) || ts.isPropertySignature(member)) {
    return `${prefix}${name}${member.questionToken ? '?' : ''}: ${checker.typeToString(checker.getTypeAtLocation(member), undefined, FLAGS)}`;
  }
  if (ts.isIndexSignatureDeclaration(member) || ts.isCallSignatureDeclaration(member)) return member.getText();
  return null;
}

function memberDoc(member: ts.ClassElement | ts.TypeElement, checker: ts.TypeChecker): string {
  const symbol = member.name ? checker.getSymbolAtLocation(member.name) : undefined;
  return symbol
    ? ts
        .displayPartsToString(symbol.getDocumentationComment(checker))
        .replace(/\s*\n\s*/g, ' ')
        .replace(/\{@link ([^}]+)\}/g, '`$1`')
        .trim()
    : '';
}

function render(symbol: ts.Symbol, exportName: string, checker: ts.TypeChecker): string[] {
  const decl = symbol.declarations?.[0];
  if (!decl) return [];
  const out = [`### ${exportName}`, ''];
  const source = path.relative(ROOT, decl.getSourceFile().fileName);
  out.push(`*${kindOf(decl)}* · \`${source}\``, '');
  const doc = docOf(symbol, checker);
  out.push(doc || '*(no TSDoc)*', '');
  let code: string[] = [];
  if (ts.isClassDeclaration(decl) || ts.isInterfaceDeclaration(decl)) {
    const heritage = decl.heritageClauses?.map((h) => h.getText()).join(' ') ?? '';
    code.push(
      `${kindOf(decl)} ${exportName}${decl.typeParameters ? `<${decl.typeParameters.map((t) => t.getText()).join(', ')}>` : ''}${heritage ? ` ${heritage}` : ''} {`,
    );
    const members: Array<ts.ClassElement | ts.TypeElement> = [...decl.members];
    for (const m of members) {
      const line = memberLine(m, checker);
      if (!line) continue;
      const d = memberDoc(m, checker);
      if (d) code.push(`  /** ${d} */`);
      code.push(`  ${line};`);
    }
    code.push('}');
  } else if (ts.isTypeAliasDeclaration(decl)) {
    code = [
      `type ${exportName}${decl.typeParameters ? `<${decl.typeParameters.map((t) => t.getText()).join(', ')}>` : ''} = ${decl.type.getText()};`,
    ];
  } else if (ts.isFunctionDeclaration(decl)) {
    const type = checker.getTypeOfSymbolAtLocation(symbol, decl);
    code = type
      .getCallSignatures()
      .map((s) => `function ${exportName}${checker.signatureToString(s, undefined, FLAGS).replace(/ => /, ': ')};`);
  } else if (ts.isVariableDeclaration(decl)) {
    const type = checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, decl), undefined, FLAGS);
    code = [`const ${exportName}: ${type.length > 400 ? `${type.slice(0, 400)}…` : type};`];
  }
  if (code.length) out.push('```ts', ...code, '```', '');
  return out;
}

export function renderSdkApi(): string {
  const program = ts.createProgram(
    ENTRIES.map((e) => path.join(ROOT, e.file)),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      useDefineForClassFields: false,
    },
  );
  const checker = program.getTypeChecker();
  const out = [
    '# Plugin SDK API reference',
    '',
    'Generated by `docs/sdk-api.ts` from the TSDoc comments and types of the SDK sources; do not edit by hand',
    '(`npx tsx docs/sdk-api.ts > docs/sdk-api.md`). The guide is [plugins.md](plugins.md).',
    '',
  ];
  for (const entry of ENTRIES) {
    const file = program.getSourceFile(path.join(ROOT, entry.file));
    const moduleSymbol = file && checker.getSymbolAtLocation(file);
    if (!moduleSymbol) throw new Error(`Cannot read the exports of ${entry.file}`);
    const exports = checker.getExportsOfModule(moduleSymbol).sort((a, b) => a.name.localeCompare(b.name));
    out.push(`## \`${entry.module}\``, '', fileComment(file), '');
    out.push(exports.map((s) => `[${s.name}](#${s.name.toLowerCase()})`).join(' · '), '');
    for (const exp of exports) {
      const target = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
      out.push(...render(target, exp.name, checker));
    }
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.stdout.write(renderSdkApi());
