// The TypeScript program over the package's typings, and the helpers every reader shares.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** This package's directory: bare imports the SDK package cannot resolve are resolved here. */
export const HOME = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

const OPTIONS = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts'],
  types: [],
  strict: false,
  noEmit: true,
  skipLibCheck: true,
};

/**
 * Builds a program over `rootFiles` (absolute paths). `virtualFiles` maps absolute paths to
 * source text held in memory (the probe). A bare import that cannot be resolved from the
 * importing file is resolved from this package, whose `@wix/sdk-types` is pinned.
 */
export function createProgram(rootFiles, virtualFiles = {}, oldProgram = undefined) {
  const host = ts.createCompilerHost(OPTIONS, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => file in virtualFiles || fileExists.call(host, file);
  host.readFile = (file) => (file in virtualFiles ? virtualFiles[file] : readFile.call(host, file));
  host.getSourceFile = (file, languageVersion, onError, shouldCreate) =>
    file in virtualFiles
      ? ts.createSourceFile(file, virtualFiles[file], languageVersion, true)
      : getSourceFile.call(host, file, languageVersion, onError, shouldCreate);
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, options) =>
    literals.map((literal) => {
      const name = literal.text;
      const found = ts.resolveModuleName(name, containingFile, options, host, undefined, redirected);
      if (found.resolvedModule || name.startsWith('.') || path.isAbsolute(name)) return found;
      return ts.resolveModuleName(name, path.join(HOME, 'package.json'), options, host);
    });
  const rootNames = [...rootFiles, ...Object.keys(virtualFiles)];
  return ts.createProgram({ rootNames, options: OPTIONS, host, oldProgram });
}

/** The source file of `file` in `program`; fails when the program could not read it. */
export function sourceFile(program, file) {
  const found = program.getSourceFile(file);
  if (!found) throw new Error(`cannot read ${file}`);
  return found;
}

/** The JSDoc tags of `node` as `[name, text]` pairs, in order. */
export function tags(node) {
  return ts.getJSDocTags(node).map((tag) => [tag.tagName.text, (ts.getTextOfJSDocComment(tag.comment) ?? '').trim()]);
}

/** The text of the first tag `name` of `node`, `''` for a tag without text, or undefined. */
export function tag(node, name) {
  return tags(node).find(([tagName]) => tagName === name)?.[1];
}

/** The JSDoc comment text of `node` (without tags). */
export function docText(node) {
  return ts
    .getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
    .join('\n');
}

/** The symbol `node` names, with import aliases followed to the declaration. */
export function resolvedSymbol(checker, node) {
  let symbol = checker.getSymbolAtLocation(node);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return symbol;
}

/** The string values of a union of string literal and template literal types, as written. */
export function literalStrings(type) {
  const parts = type.isUnion() ? type.types : [type];
  return parts.flatMap((part) => {
    if (part.isStringLiteral()) return [part.value];
    if (part.flags & ts.TypeFlags.TemplateLiteral) {
      return [part.texts.reduce((text, next, i) => text + '${number}' + next)];
    }
    return [];
  });
}

/**
 * The keys that `@wix/sdk-runtime` renames between the SDK's objects and the REST wire
 * (`SDKRequestToRESTRequestRenameMap`).
 */
export const REST_NAMES = { _id: 'id', _createdDate: 'createdDate', _updatedDate: 'updatedDate' };

/**
 * A dotted path of the SDK's objects as a dotted REST path: renamed keys, without the
 * `${number}` segments of array items.
 */
export function restPath(sdkPath) {
  return sdkPath
    .split('.')
    .filter((segment) => segment !== '${number}')
    .map((segment) => REST_NAMES[segment] ?? segment)
    .join('.');
}

/** `file` relative to the package directory, for the report. */
export function relative(pkgDir, file) {
  return path.relative(pkgDir, file).split(path.sep).join('/');
}

/** The first of `candidates` (relative to `dir`) that exists, as an absolute path. */
export function firstExisting(dir, candidates) {
  return candidates.map((candidate) => path.join(dir, candidate)).find((file) => fs.existsSync(file));
}
