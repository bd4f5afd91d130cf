// The SDK functions of `index.typings.d.mts`: per operation (`@fqn`) the required inputs
// (`@requiredField`, `NonNullablePaths` on parameters), the guaranteed outputs
// (`NonNullablePaths` on the answer, resolved with the type checker), the application error
// codes; and the webhook functions (`@webhook`).

import ts from 'typescript';
import { docText, literalStrings, relative, resolvedSymbol, restPath, tag, tags } from './program.mjs';
import { typeExpr } from './types.mjs';

/** The `NonNullablePaths<T, K>` references in a type node, outside function types. */
function nonNullablePaths(node) {
  const found = [];
  const visit = (n) => {
    if (ts.isFunctionTypeNode(n)) return;
    if (ts.isTypeReferenceNode(n) && n.typeName.getText() === 'NonNullablePaths' && n.typeArguments?.length >= 2) {
      found.push({ node: n, array: ts.isArrayTypeNode(n.parent) });
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** The paths of a `NonNullablePaths` reference, as the type checker resolves its key list. */
function pathsOf(checker, reference) {
  return literalStrings(checker.getTypeFromTypeNode(reference.typeArguments[1]));
}

/** The codes of an `...ApplicationErrors` union: `{code, dataType}` per member. */
function errorCodes(checker, typeNode) {
  if (!typeNode || !ts.isTypeReferenceNode(typeNode)) return [];
  const declaration = resolvedSymbol(checker, typeNode.typeName)?.declarations?.[0];
  if (!declaration || !ts.isTypeAliasDeclaration(declaration)) return [];
  const members = ts.isUnionTypeNode(declaration.type) ? declaration.type.types : [declaration.type];
  return members.filter(ts.isTypeLiteralNode).flatMap((member) => {
    const props = Object.fromEntries(
      member.members.filter(ts.isPropertySignature).map((p) => [p.name.getText(), p.type]),
    );
    const code = props.code && ts.isLiteralTypeNode(props.code) ? props.code.literal.text : undefined;
    if (!code) return [];
    const data = props.data ? typeExpr(checker, props.data) : { kind: 'free-form' };
    return [{ code, dataType: data.kind === 'ref' ? data.name : null, alias: declaration.name.text }];
  });
}

/** The type argument of `Promise<...>` in a return type node. */
function promised(node) {
  return node && ts.isTypeReferenceNode(node) && node.typeName.getText() === 'Promise' ? node.typeArguments?.[0] : node;
}

/** The `__applicationErrorsType` member of an answer type `X & {__applicationErrorsType?: E}`. */
function errorsTypeNode(answer) {
  const parts = answer && ts.isIntersectionTypeNode(answer) ? answer.types : [answer];
  for (const part of parts) {
    if (part && ts.isTypeLiteralNode(part)) {
      const member = part.members.find((m) => ts.isPropertySignature(m) && m.name.getText() === '__applicationErrorsType');
      if (member) return member.type;
    }
  }
  return undefined;
}

/** The name of the answer's type, inside `NonNullablePaths` and intersections. */
function answerTypeName(answer) {
  const parts = answer && ts.isIntersectionTypeNode(answer) ? answer.types : [answer];
  for (const part of parts) {
    if (part && ts.isTypeReferenceNode(part)) {
      const inner = part.typeName.getText() === 'NonNullablePaths' ? part.typeArguments[0] : part;
      if (ts.isTypeReferenceNode(inner)) return inner.typeName.getText();
    }
  }
  return undefined;
}

/** Codes listed in a doc comment as `- \`CODE\`: ...` after "application error codes". */
function documentedCodes(text) {
  const at = text.search(/application error codes/i);
  if (at < 0) return [];
  return [...text.slice(at).matchAll(/^\s*-\s*`([A-Z0-9_]+)`/gm)].map((m) => m[1]);
}

/** One SDK function with an `@fqn`. */
function readFunction(checker, declaration, source, publicNames) {
  const name = declaration.name.text;
  const at = `${source} ${name}`;
  const params = declaration.parameters.map((p) => ({ name: p.name.getText(), optional: Boolean(p.questionToken) }));
  const required = [];
  for (const [tagName, text] of tags(declaration)) {
    if (tagName === 'requiredField' && text) required.push({ sdkPath: text, source: `${at} @requiredField ${text}` });
  }
  declaration.parameters.forEach((p) => {
    if (!p.questionToken && !p.initializer) {
      required.push({ sdkPath: p.name.getText(), source: `${at} parameter ${p.name.getText()}` });
    }
    for (const ref of p.type ? nonNullablePaths(p.type) : []) {
      for (const path of pathsOf(checker, ref.node)) {
        const sdkPath = [p.name.getText(), ...(ref.array ? ['${number}'] : []), path].join('.');
        required.push({ sdkPath, source: `${at} parameter ${p.name.getText()}: NonNullablePaths<…, ${path}>` });
      }
    }
  });
  const answer = promised(declaration.type);
  const guarantee = answer ? nonNullablePaths(answer)[0] : undefined;
  const errorsNode = errorsTypeNode(answer);
  const errors = errorCodes(checker, errorsNode).map((e) => ({
    code: e.code,
    dataType: e.dataType,
    itemLevel: false,
    source: `${at}: ${e.alias}`,
  }));
  for (const code of documentedCodes(docText(declaration))) {
    errors.push({ code, dataType: null, itemLevel: true, source: `${at} doc comment` });
  }
  return {
    name,
    fqn: tag(declaration, 'fqn'),
    internal: tag(declaration, 'internal') !== undefined || !publicNames.has(name),
    permissionId: tag(declaration, 'permissionId') ?? null,
    params,
    required,
    answerType: answerTypeName(answer) ?? null,
    guarantees: guarantee
      ? {
          type: guarantee.node.typeArguments[0].getText(),
          paths: pathsOf(checker, guarantee.node).map((path) => restPath(path)),
          source: `${at}: NonNullablePaths<${guarantee.node.typeArguments[0].getText()}, …>`,
        }
      : null,
    errors,
    source: at,
  };
}

/** One `@webhook` function: event type, slug and the envelope's body member and type. */
function readWebhook(checker, declaration, source, publicNames) {
  const name = declaration.name.text;
  const handler = declaration.parameters[0]?.type;
  const event = handler && ts.isFunctionTypeNode(handler) ? handler.parameters[0]?.type : undefined;
  const envelope =
    event && ts.isTypeReferenceNode(event) ? resolvedSymbol(checker, event.typeName)?.declarations?.[0] : undefined;
  let body = null;
  if (envelope && ts.isInterfaceDeclaration(envelope)) {
    const member = envelope.members.find(
      (m) => ts.isPropertySignature(m) && ['entity', 'data'].includes(m.name.getText()),
    );
    if (member) {
      body = { member: member.name.getText(), type: typeExpr(checker, member.type).name ?? member.type.getText() };
    }
  }
  return {
    function: name,
    eventType: tag(declaration, 'eventType') ?? null,
    slug: tag(declaration, 'slug') ?? null,
    kind: body?.member === 'entity' ? 'entity' : body ? 'action' : null,
    bodyType: body?.type ?? null,
    envelope: envelope?.name?.text ?? null,
    internal: tag(declaration, 'internal') !== undefined || !publicNames.has(name),
    source: `${source} ${name}`,
  };
}

/** The function declarations of a typings file, by name. */
export function functionNames(file) {
  return new Set(file.statements.filter((s) => ts.isFunctionDeclaration(s) && s.name).map((s) => s.name.text));
}

/** The SDK functions and webhooks of `file`; `publicFile` tells which ones are public. */
export function readFunctions(checker, pkgDir, file, publicFile) {
  const source = relative(pkgDir, file.fileName);
  const publicNames = functionNames(publicFile);
  const declarations = file.statements.filter((s) => ts.isFunctionDeclaration(s) && s.name);
  return {
    functions: declarations
      .filter((d) => tag(d, 'fqn') !== undefined)
      .map((d) => readFunction(checker, d, source, publicNames)),
    webhooks: declarations
      .filter((d) => tag(d, 'webhook') !== undefined)
      .map((d) => readWebhook(checker, d, source, publicNames)),
  };
}
