// The typed query specs (`interface XQuerySpec extends QuerySpec { wql: [...] }`): fields,
// sort capability and the operators of each field. `operators: '*'` means "the operators of
// the field's type"; rather than repeat that rule, the operators are read from the filter type
// `@wix/sdk-types` builds (`Filter<Entity, Spec>`), resolved by the type checker in a probe file.

import path from 'node:path';
import ts from 'typescript';
import { relative, restPath } from './program.mjs';

/** The query specs of a typings file: `{spec, entity}` declaration names. */
export function findQuerySpecs(file) {
  const specs = file.statements
    .filter(ts.isInterfaceDeclaration)
    .filter((d) => (d.heritageClauses ?? []).some((c) => c.types.some((t) => t.expression.getText() === 'QuerySpec')))
    .map((d) => d.name.text);
  const entities = {};
  const visit = (node) => {
    if (ts.isTypeReferenceNode(node) && node.typeName.getText() === 'Query' && node.typeArguments?.length === 2) {
      const [entity, spec] = node.typeArguments.map((a) => a.getText());
      entities[spec] ??= entity;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return specs.filter((spec) => entities[spec]).map((spec) => ({ spec, entity: entities[spec] }));
}

/** The path of the probe file, next to the typings so that relative imports resolve. */
export function probePath(file) {
  return path.join(path.dirname(file.fileName), '__upstream_probe__.ts');
}

/** The probe's source: one `Filter<Entity, Spec>` alias per query spec. */
export function probeSource(file, specs) {
  const module = './' + path.basename(file.fileName).replace(/\.d\.mts$/, '.mjs').replace(/\.d\.ts$/, '.js');
  const lines = ["import type { Filter } from '@wix/sdk-types';"];
  specs.forEach(({ spec, entity }, i) => {
    lines.push(`import type { ${entity} as E${i}, ${spec} as S${i} } from '${module}';`);
    lines.push(`export type F${i} = Filter<E${i}, S${i}>;`);
  });
  return lines.join('\n') + '\n';
}

function tupleElements(checker, type) {
  return type && checker.isTupleType(type) ? checker.getTypeArguments(type) : [];
}

function literal(type) {
  return type?.isStringLiteral() ? type.value : undefined;
}

function propertyType(checker, type, name, at) {
  const symbol = type && checker.getPropertyOfType(type, name);
  return symbol ? checker.getTypeOfSymbolAtLocation(symbol, at) : undefined;
}

/** The operator keys (`$eq`, ...) a filter allows on `field`. */
function operatorsOf(checker, filterType, field, at) {
  const ops = new Set();
  for (const member of filterType.isUnion() ? filterType.types : [filterType]) {
    const value = propertyType(checker, member, field, at);
    if (!value) continue;
    for (const part of value.isUnion() ? value.types : [value]) {
      for (const p of checker.getPropertiesOfType(part)) if (p.name.startsWith('$')) ops.add(p.name);
    }
  }
  return [...ops];
}

/** The fields of each query spec, with their sort capability and resolved operators. */
export function readQueries(checker, pkgDir, file, specs, probe) {
  return specs.map(({ spec, entity }, i) => {
    const declaration = file.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === spec);
    const specType = checker.getTypeAtLocation(declaration.name);
    const alias = probe.statements.find((s) => ts.isTypeAliasDeclaration(s) && s.name.text === `F${i}`);
    const filterType = checker.getTypeAtLocation(alias.name);
    const source = `${relative(pkgDir, file.fileName)} ${spec}`;
    const fields = [];
    for (const group of tupleElements(checker, propertyType(checker, specType, 'wql', declaration))) {
      const declared = propertyType(checker, group, 'operators', declaration);
      const sort = literal(propertyType(checker, group, 'sort', declaration)) ?? 'NONE';
      for (const f of tupleElements(checker, propertyType(checker, group, 'fields', declaration))) {
        const sdkField = literal(f);
        if (!sdkField) continue;
        fields.push({
          field: restPath(sdkField),
          sdkField,
          sort,
          declaredOperators: literal(declared) ?? tupleElements(checker, declared).map(literal),
          operators: operatorsOf(checker, filterType, sdkField, alias),
          source,
        });
      }
    }
    return { spec, entity, fields, source };
  });
}
