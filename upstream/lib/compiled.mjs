// The compiled module (`build/es/index.mjs`): each operation's request builder (method, fqn,
// proto path and the URL table that maps it to the public path, field transforms), the SDK
// functions around the builders (which REST path each argument fills), and runtime enums.
// The code is parsed, never run.

import fs from 'node:fs';
import ts from 'typescript';

/** The host whose URL table gives the public REST paths. */
const PUBLIC_HOST = 'www.wixapis.com';

function stringValue(node) {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

function propertyName(property) {
  return property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
    ? property.name.text
    : undefined;
}

/** The properties of an object literal as a map from name to initializer. */
function objectProperties(node) {
  const out = {};
  for (const property of node?.properties ?? []) {
    if (ts.isPropertyAssignment(property) && propertyName(property) !== undefined) {
      out[propertyName(property)] = property.initializer;
    }
  }
  return out;
}

function forEachDescendant(node, visit) {
  ts.forEachChild(node, (child) => {
    visit(child);
    forEachDescendant(child, visit);
  });
}

function calleeName(call) {
  return ts.isIdentifier(call.expression) ? call.expression.text : undefined;
}

/** `{kind, path}` for each path of a `transformPaths(x, [{transformFn, paths}])` call. */
function transformsOf(call) {
  const list = call.arguments[1];
  if (!list || !ts.isArrayLiteralExpression(list)) return [];
  return list.elements.filter(ts.isObjectLiteralExpression).flatMap((entry) => {
    const props = objectProperties(entry);
    const fn = props.transformFn && ts.isIdentifier(props.transformFn) ? props.transformFn.text : '';
    const name = /^transform(?:SDK|REST)(\w+?)To(?:SDK|REST)/.exec(fn)?.[1];
    const kind = name ? name[0].toLowerCase() + name.slice(1) : fn;
    const paths = props.paths && ts.isArrayLiteralExpression(props.paths) ? props.paths.elements : [];
    return paths
      .filter(ts.isObjectLiteralExpression)
      .map((p) => ({ kind, path: stringValue(objectProperties(p).path) }))
      .filter((t) => t.path);
  });
}

function isTransformPaths(call) {
  return /^transformPaths\d*$/.test(calleeName(call) ?? '');
}

function insideProperty(node, name, stop) {
  for (let n = node.parent; n && n !== stop; n = n.parent) {
    if (ts.isPropertyAssignment(n) && propertyName(n) === name) return true;
  }
  return false;
}

/** The URL tables (`domainToMappings`) by the name of the function that holds them. */
function urlTables(file) {
  const tables = {};
  for (const statement of file.statements) {
    if (!ts.isFunctionDeclaration(statement) || !statement.name) continue;
    forEachDescendant(statement, (node) => {
      if (ts.isVariableDeclaration(node) && node.name.getText() === 'domainToMappings' && node.initializer) {
        const table = {};
        for (const [domain, list] of Object.entries(objectProperties(node.initializer))) {
          table[domain] = ts.isArrayLiteralExpression(list)
            ? list.elements.map((m) => {
                const props = objectProperties(m);
                return { srcPath: stringValue(props.srcPath), destPath: stringValue(props.destPath) };
              })
            : [];
        }
        tables[statement.name.text] = table;
      }
    });
  }
  return tables;
}

/** The public path of `protoPath`, as `@wix/sdk-runtime`'s `resolveUrl` computes it. */
function publicPath(protoPath, table) {
  const mappings = table?.[PUBLIC_HOST] ?? table?._ ?? [];
  const mapping = mappings.find((m) => protoPath.startsWith(m.destPath));
  return mapping ? mapping.srcPath + protoPath.slice(mapping.destPath.length) : protoPath;
}

/** The request builders: functions that return request metadata with a `methodFqn`. */
function builders(file, tables, source) {
  const found = {};
  for (const statement of file.statements) {
    if (!ts.isFunctionDeclaration(statement) || !statement.name) continue;
    let metadata;
    forEachDescendant(statement, (node) => {
      if (!metadata && ts.isObjectLiteralExpression(node) && objectProperties(node).methodFqn) metadata = node;
    });
    if (!metadata) continue;
    const props = objectProperties(metadata);
    const url = props.url && ts.isCallExpression(props.url) ? props.url : undefined;
    const protoPath = stringValue(objectProperties(url?.arguments[0]).protoPath);
    const transforms = [];
    forEachDescendant(statement, (node) => {
      if (ts.isCallExpression(node) && isTransformPaths(node)) {
        const direction = insideProperty(node, 'transformResponse', statement) ? 'response' : 'request';
        for (const t of transformsOf(node)) transforms.push({ direction, ...t });
      }
    });
    const name = statement.name.text;
    found[name] = {
      name,
      fqn: stringValue(props.methodFqn),
      method: stringValue(props.method),
      entityFqdn: stringValue(props.entityFqdn),
      protoPath,
      path: protoPath === undefined ? undefined : publicPath(protoPath, tables[calleeName(url)]),
      transforms,
      source: `${source} ${name}`,
    };
  }
  return found;
}

/**
 * The SDK functions around the builders: their parameters, the builder they call, which REST
 * path each argument fills (the `explicitPathsToArguments` and `spreadPathsToArguments` of
 * their error transform) and their image transforms.
 */
function wrappers(file, builderNames) {
  const found = [];
  for (const statement of file.statements) {
    if (!ts.isFunctionDeclaration(statement) || !statement.name) continue;
    const calls = [];
    forEachDescendant(statement, (node) => {
      if (ts.isCallExpression(node)) calls.push(node);
    });
    const builder = calls.map(calleeName).find((name) => builderNames.has(name));
    if (!builder || builderNames.has(statement.name.text)) continue;
    const wrapper = {
      name: statement.name.text,
      params: statement.parameters.map((p) => p.name.getText()),
      builder,
      explicit: {},
      spread: {},
      transforms: [],
    };
    for (const call of calls) {
      if (/transformError$/i.test(calleeName(call) ?? '') && call.arguments[1]) {
        const props = objectProperties(call.arguments[1]);
        for (const key of ['explicit', 'spread']) {
          for (const [rest, arg] of Object.entries(objectProperties(props[`${key}PathsToArguments`]))) {
            wrapper[key][rest] = stringValue(arg);
          }
        }
      }
      if (isTransformPaths(call)) {
        const first = call.arguments[0];
        const direction =
          first && ts.isCallExpression(first) && /SDKRequestToRESTRequest/.test(calleeName(first) ?? '')
            ? 'request'
            : 'response';
        for (const t of transformsOf(call)) wrapper.transforms.push({ direction, ...t });
      }
    }
    found.push(wrapper);
  }
  return found;
}

/** The string enums the module builds at run time (`Status2["UNPAID"] = "UNPAID"`), by name. */
function runtimeEnums(file) {
  const enums = {};
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const values = [];
      forEachDescendant(declaration, (node) => {
        if (
          ts.isBinaryExpression(node) &&
          node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          ts.isElementAccessExpression(node.left) &&
          stringValue(node.right)
        ) {
          values.push(stringValue(node.right));
        }
      });
      if (values.length) enums[declaration.name.getText()] = values;
    }
  }
  return enums;
}

/** Everything read from the compiled module at `file` (`source` names it in the report). */
export function readCompiled(file, source) {
  const text = fs.readFileSync(file, 'utf8');
  const parsed = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const found = builders(parsed, urlTables(parsed), source);
  return {
    builders: found,
    wrappers: wrappers(parsed, new Set(Object.keys(found))),
    runtimeEnums: runtimeEnums(parsed),
  };
}
