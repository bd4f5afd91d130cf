// Reads an unpacked `@wix/auto_sdk_*` package and prints a JSON model of its surface:
// operations (method, public path, request and response types, required inputs, guaranteed
// outputs, application error codes, field transforms), the REST types, webhooks and query
// specs. `cargo xtask upstream` compares the model with spec/openapi.yaml.
//
// usage: node extract.mjs <package directory>

import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { readCompiled } from './lib/compiled.mjs';
import { readFunctions } from './lib/functions.mjs';
import { createProgram, firstExisting, HOME, relative, restPath, sourceFile } from './lib/program.mjs';
import { findQuerySpecs, probePath, probeSource, readQueries } from './lib/query.mjs';
import { readMetaOperations, readTypes } from './lib/types.mjs';

function locate(pkgDir) {
  const need = (candidates, what) => {
    const found = firstExisting(pkgDir, candidates);
    if (!found) throw new Error(`${pkgDir}: no ${what} (looked for ${candidates.join(', ')})`);
    return found;
  };
  return {
    typings: need(['build/es/index.typings.d.mts', 'build/cjs/index.typings.d.ts'], 'public typings'),
    internalTypings: firstExisting(pkgDir, ['build/internal/es/index.typings.d.mts', 'build/internal/cjs/index.typings.d.ts']),
    meta: need(['build/es/meta.d.mts', 'build/cjs/meta.d.ts'], 'REST typings (meta)'),
    internalMeta: firstExisting(pkgDir, ['build/internal/es/meta.d.mts', 'build/internal/cjs/meta.d.ts']),
    compiled: need(['build/es/index.mjs', 'build/cjs/index.js'], 'compiled module'),
  };
}

function packageVersion(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** `sdkPath` (`param.a.b`) as the REST path the function's wrapper sends it at, or null. */
function mapArgument(sdkPath, params, wrapper) {
  const [head, ...rest] = sdkPath.split('.');
  const index = params.indexOf(head);
  if (index < 0 || !wrapper) return null;
  const ref = [`$[${index}]`, ...rest].join('.');
  let best = null;
  for (const table of [wrapper.explicit, wrapper.spread]) {
    for (const [restKey, arg] of Object.entries(table)) {
      if (!arg || !(ref === arg || ref.startsWith(arg + '.'))) continue;
      if (!best || arg.length > best.arg.length) best = { arg, path: restKey + ref.slice(arg.length) };
    }
  }
  return best ? restPath(best.path) : null;
}

/** Non-optional members of a REST request type and of the objects under it, as REST paths. */
function metaRequired(types, typeName, source, prefix = [], seen = new Set()) {
  const type = types[typeName];
  if (!type || type.kind !== 'object' || seen.has(typeName)) return [];
  seen.add(typeName);
  return type.properties.flatMap((p) => {
    const at = [...prefix, p.name];
    const here = p.optional ? [] : [{ path: at.join('.'), source: `${source} ${typeName}.${p.name}` }];
    let t = p.type;
    while (t.kind === 'array') t = t.items;
    const below = t.kind === 'ref' ? metaRequired(types, t.name, source, at, seen) : [];
    return [...here, ...below];
  });
}

function unique(list, key) {
  const seen = new Set();
  return list.filter((item) => !seen.has(key(item)) && seen.add(key(item)));
}

function operations(types, metaOps, compiled, functions, metaSource) {
  return metaOps.map((op) => {
    const builder = compiled.builders[op.name] ?? Object.values(compiled.builders).find((b) => b.name === op.name);
    const fqn = builder?.fqn ?? null;
    const fns = functions.filter((f) => f.fqn && f.fqn === fqn);
    const required = [...metaRequired(types, op.requestType, metaSource)];
    const unmapped = [];
    for (const fn of fns) {
      const names = fn.params.map((p) => p.name);
      const wrapper = compiled.wrappers.find(
        (w) => w.builder === builder?.name && w.params.join(',') === names.join(','),
      );
      for (const r of fn.required) {
        const rest = mapArgument(r.sdkPath, names, wrapper);
        if (rest) required.push({ path: rest, source: r.source });
        else unmapped.push(r.source);
      }
    }
    const guarantees = fns
      .filter((fn) => fn.guarantees)
      .map((fn) => {
        const { type, paths, source } = fn.guarantees;
        if (type === op.responseType) return { paths: paths.map((p) => ({ path: p, source })), source };
        const member = types[op.responseType]?.properties.find((p) => p.type.kind === 'ref' && p.type.name === type);
        if (!member) return { paths: [], source: `${source} (no member of ${op.responseType} has type ${type})` };
        return {
          source,
          paths: [
            { path: member.name, source: `${fn.source} returns ${op.responseType}.${member.name}` },
            ...paths.map((p) => ({ path: `${member.name}.${p}`, source })),
          ],
        };
      });
    const wrappers = compiled.wrappers.filter((w) => w.builder === builder?.name);
    return {
      name: op.name,
      fqn,
      method: builder?.method ?? op.method,
      metaMethod: op.method,
      path: builder?.path ?? null,
      protoPath: builder?.protoPath ?? null,
      entityFqdn: builder?.entityFqdn ?? null,
      internal: fns.length === 0 || fns.every((fn) => fn.internal),
      functions: fns.map((fn) => fn.name),
      typings: fns.map((fn) => fn.source),
      permissionId: fns.find((fn) => fn.permissionId)?.permissionId ?? null,
      requestType: op.requestType,
      responseType: op.responseType,
      requiredInputs: unique(required, (r) => r.path),
      unmappedInputs: unmapped,
      guarantees: guarantees.length ? guarantees : null,
      errors: unique(fns.flatMap((fn) => fn.errors), (e) => `${e.code}/${e.itemLevel}`),
      transforms: unique(
        [...(builder?.transforms ?? []), ...wrappers.flatMap((w) => w.transforms)],
        (t) => `${t.direction}/${t.kind}/${t.path}`,
      ),
      source: builder?.source ?? op.source,
    };
  });
}

function extract(pkgDir) {
  const files = locate(pkgDir);
  const functionsFile = files.internalTypings ?? files.typings;
  const roots = [files.typings, files.meta, files.internalTypings, files.internalMeta].filter(Boolean);
  const first = createProgram(roots);
  const specs = findQuerySpecs(sourceFile(first, functionsFile));
  const probe = probePath(sourceFile(first, functionsFile));
  const program = createProgram(roots, { [probe]: probeSource(sourceFile(first, functionsFile), specs) }, first);
  const checker = program.getTypeChecker();
  const file = (f) => (f ? sourceFile(program, f) : undefined);

  const types = readTypes(checker, pkgDir, file(files.meta), file(files.internalMeta));
  const metaFile = files.internalMeta ?? files.meta;
  const metaSource = relative(pkgDir, metaFile);
  const metaOps = readMetaOperations(checker, file(metaFile), metaSource);
  const compiled = readCompiled(files.compiled, relative(pkgDir, files.compiled));
  const { functions, webhooks } = readFunctions(checker, pkgDir, file(functionsFile), file(files.typings));
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  return {
    package: { name: pkg.name, version: pkg.version },
    tools: {
      typescript: ts.version,
      sdkTypes: packageVersion(path.join(HOME, 'node_modules/@wix/sdk-types')),
    },
    files: Object.fromEntries(Object.entries(files).map(([k, f]) => [k, f ? relative(pkgDir, f) : null])),
    operations: operations(types, metaOps, compiled, functions, metaSource),
    types,
    webhooks,
    queries: readQueries(checker, pkgDir, file(functionsFile), specs, sourceFile(program, probe)),
    runtimeEnums: compiled.runtimeEnums,
  };
}

const pkgDir = process.argv[2];
if (!pkgDir) {
  console.error('usage: node extract.mjs <package directory>');
  process.exit(2);
}
try {
  process.stdout.write(JSON.stringify(extract(path.resolve(pkgDir)), null, 2) + '\n');
} catch (error) {
  console.error(`extract: ${error.stack ?? error}`);
  process.exit(1);
}
