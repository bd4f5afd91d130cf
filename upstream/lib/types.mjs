// The REST-shaped types of `meta.d.mts` ("Original" types): interfaces, enums, and the
// operations' method and request/response types.

import ts from 'typescript';
import { relative, resolvedSymbol, tag, tags } from './program.mjs';

/** The field constraints read from JSDoc tags, by tag name. */
const CONSTRAINT_TAGS = ['format', 'minLength', 'maxLength', 'minSize', 'maxSize', 'min', 'max'];

/**
 * The type of a property written as `node`, as a small JSON value:
 * `{kind: string|number|boolean|date|any|free-form|literal|ref|array|map|object|unknown}`.
 */
export function typeExpr(checker, node) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { kind: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return { kind: 'number' };
    case ts.SyntaxKind.BooleanKeyword:
      return { kind: 'boolean' };
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return { kind: 'any' };
    case ts.SyntaxKind.ArrayType:
      return { kind: 'array', items: typeExpr(checker, node.elementType) };
    case ts.SyntaxKind.ParenthesizedType:
      return typeExpr(checker, node.type);
    case ts.SyntaxKind.LiteralType:
      return ts.isStringLiteral(node.literal)
        ? { kind: 'literal', values: [node.literal.text] }
        : { kind: 'unknown', text: node.getText() };
    case ts.SyntaxKind.TypeLiteral:
      return { kind: 'object', properties: node.members.filter(ts.isPropertySignature).map((m) => property(checker, m)) };
    case ts.SyntaxKind.UnionType:
      return unionExpr(checker, node);
    case ts.SyntaxKind.TypeReference:
      return referenceExpr(checker, node);
    default:
      return { kind: 'unknown', text: node.getText() };
  }
}

function isNullish(node) {
  return (
    node.kind === ts.SyntaxKind.UndefinedKeyword ||
    (ts.isLiteralTypeNode(node) && node.literal.kind === ts.SyntaxKind.NullKeyword)
  );
}

function unionExpr(checker, node) {
  const members = node.types.filter((member) => !isNullish(member));
  if (members.length === 1) return typeExpr(checker, members[0]);
  const exprs = members.map((member) => typeExpr(checker, member));
  const enumRef = exprs.find((expr) => expr.kind === 'ref' && expr.enum);
  if (enumRef && exprs.every((expr) => expr === enumRef || expr.kind === 'literal')) return enumRef;
  if (exprs.every((expr) => expr.kind === 'literal')) {
    return { kind: 'literal', values: exprs.flatMap((expr) => expr.values) };
  }
  return { kind: 'unknown', text: node.getText() };
}

function referenceExpr(checker, node) {
  const name = node.typeName.getText();
  const args = node.typeArguments ?? [];
  if (name === 'Date') return { kind: 'date' };
  if (name === 'Array' && args.length === 1) return { kind: 'array', items: typeExpr(checker, args[0]) };
  if (name === 'Record' && args.length === 2) {
    const values = typeExpr(checker, args[1]);
    return values.kind === 'any' ? { kind: 'free-form' } : { kind: 'map', values };
  }
  const declaration = resolvedSymbol(checker, node.typeName)?.declarations?.[0];
  if (!declaration) return { kind: 'unknown', text: node.getText() };
  if (ts.isInterfaceDeclaration(declaration)) return { kind: 'ref', name: declaration.name.text };
  if (ts.isEnumDeclaration(declaration)) return { kind: 'ref', name: declaration.name.text, enum: true };
  if (ts.isTypeAliasDeclaration(declaration)) return typeExpr(checker, declaration.type);
  return { kind: 'unknown', text: node.getText() };
}

/** One property signature: name, optionality, type, constraints and marks. */
export function property(checker, member) {
  const constraints = {};
  for (const [name, text] of tags(member)) {
    if (CONSTRAINT_TAGS.includes(name)) constraints[name] = text;
    if (name === 'decimalValue') {
      const gte = /gte\s*:\s*([-0-9.]+)/.exec(text)?.[1];
      const lte = /lte\s*:\s*([-0-9.]+)/.exec(text)?.[1];
      constraints.decimal = { gte, lte };
    }
  }
  return {
    name: member.name.getText(),
    optional: Boolean(member.questionToken),
    type: member.type ? typeExpr(checker, member.type) : { kind: 'any' },
    constraints,
    readOnly: tag(member, 'readonly') !== undefined,
    immutable: tag(member, 'immutable') !== undefined,
    internal: tag(member, 'internal') !== undefined,
  };
}

/** The properties of an interface, its own first, then those of the interfaces it extends. */
function interfaceProperties(checker, declaration) {
  const own = declaration.members.filter(ts.isPropertySignature).map((member) => property(checker, member));
  const names = new Set(own.map((p) => p.name));
  const inherited = (declaration.heritageClauses ?? [])
    .flatMap((clause) => clause.types)
    .map((base) => resolvedSymbol(checker, base.expression)?.declarations?.[0])
    .filter((base) => base && ts.isInterfaceDeclaration(base))
    .flatMap((base) => interfaceProperties(checker, base))
    .filter((p) => !names.has(p.name) && names.add(p.name));
  return [...own, ...inherited];
}

/** The interfaces and enums declared in one file, by name. */
function declaredTypes(checker, file, source) {
  const types = {};
  for (const statement of file.statements) {
    if (ts.isInterfaceDeclaration(statement)) {
      types[statement.name.text] = {
        kind: 'object',
        source,
        internal: tag(statement, 'internal') !== undefined,
        properties: interfaceProperties(checker, statement),
      };
    } else if (ts.isEnumDeclaration(statement)) {
      types[statement.name.text] = {
        kind: 'enum',
        source,
        internal: tag(statement, 'internal') !== undefined,
        values: statement.members
          .filter((member) => member.initializer && ts.isStringLiteral(member.initializer))
          .map((member) => ({ value: member.initializer.text, internal: tag(member, 'internal') !== undefined })),
      };
    }
  }
  return types;
}

/**
 * The REST types of the package: those of the internal typings (a superset) when there are
 * any, each element marked `internal` when the public typings lack it or tag it `@internal`.
 */
export function readTypes(checker, pkgDir, publicFile, internalFile) {
  const publicTypes = declaredTypes(checker, publicFile, relative(pkgDir, publicFile.fileName));
  if (!internalFile) return publicTypes;
  const all = declaredTypes(checker, internalFile, relative(pkgDir, internalFile.fileName));
  for (const [name, type] of Object.entries(all)) {
    const pub = publicTypes[name];
    if (!pub) {
      type.internal = true;
      continue;
    }
    type.internal ||= pub.internal;
    if (type.kind === 'object') {
      const publicNames = new Set(pub.properties?.map((p) => p.name) ?? []);
      for (const p of type.properties) p.internal ||= !publicNames.has(p.name);
    } else {
      const publicValues = new Set(pub.values?.map((v) => v.value) ?? []);
      for (const v of type.values) v.internal ||= !publicValues.has(v.value);
      type.publicSource = pub.source;
    }
  }
  return all;
}

/**
 * The operations `meta.d.mts` declares: `declare function name(): __PublicMethodMetaInfo<
 * method, pathParams, request, originalRequest, response, originalResponse>`; the original
 * (REST) request and response types are kept.
 */
export function readMetaOperations(checker, file, source) {
  return file.statements
    .filter((s) => ts.isFunctionDeclaration(s) && s.name && s.type && ts.isTypeReferenceNode(s.type))
    .filter((s) => s.type.typeName.getText() === '__PublicMethodMetaInfo' && s.type.typeArguments?.length === 6)
    .map((s) => {
      const [method, , , request, , response] = s.type.typeArguments;
      return {
        name: s.name.text,
        method: ts.isLiteralTypeNode(method) && ts.isStringLiteral(method.literal) ? method.literal.text : method.getText(),
        requestType: typeExpr(checker, request).name ?? request.getText(),
        responseType: typeExpr(checker, response).name ?? response.getText(),
        source: `${source} ${s.name.text}`,
      };
    });
}
