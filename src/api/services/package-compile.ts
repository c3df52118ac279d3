/**
 * A step package's sources made into a version workers can load (docs/how-to/step-packages.md):
 * the paths and imports checked, the whole package type-checked against the SDK by the TypeScript
 * compiler (problems with file and line), each module compiled to CommonJS, and the result loaded
 * once to find the types it defines, which must be namespaced outside the built-in providers.
 * Runs on the offload pool (jobs.ts): a type-check takes seconds, never on the event loop.
 */
import { join, relative } from 'node:path';
import ts from 'typescript';
import { z } from 'zod';
import {
  ALLOWED_IMPORTS,
  allowedImport,
  definedTypes,
  evaluatePackage,
  messageOf,
  resolveRelative,
  SDK_SPECIFIER,
} from '../../resources/packages/package-loader';
import { sourceHash } from '../../resources/packages/package-store';

export interface PackageProblem {
  /** The package file, e.g. `index.ts` (empty: the package as a whole). */
  readonly file: string;
  /** 1-based; null when the problem has no line. */
  readonly line: number | null;
  readonly message: string;
}

export type CompileAnswer =
  | { readonly ok: true; readonly hash: string; readonly modules: Record<string, string>; readonly types: string[] }
  | { readonly ok: false; readonly problems: PackageProblem[] };

/** The project's root: the SDK and node_modules resolve from there. */
const PROJECT_ROOT = join(__dirname, '..', '..', '..');
/** Namespaces of the built-in types: a package cannot define types in them. */
const RESERVED = new Set(['core', 'aws', 'github', 'slack']);
const TYPE_NAME = /^[a-z][a-z0-9-]*(:[a-z][a-z0-9-]*)+$/;
const PATH = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*\.ts$/;

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  lib: ['lib.es2022.d.ts'],
  types: ['node'],
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
  baseUrl: PROJECT_ROOT,
  paths: { [SDK_SPECIFIER]: ['src/sdk/index.ts'] },
};

const lineOf = (text: string, position: number): number => text.slice(0, position).split('\n').length;

function pathProblems(files: Readonly<Record<string, string>>): PackageProblem[] {
  const problems: PackageProblem[] = [];
  for (const path of Object.keys(files))
    if (!PATH.test(path))
      problems.push({ file: path, line: null, message: 'a file path is relative, in / separated names, ending .ts' });
  if (!('index.ts' in files)) problems.push({ file: '', line: null, message: 'a package has an index.ts' });
  if (Object.values(files).every((text) => text.trim() === ''))
    problems.push({ file: '', line: null, message: 'the package is empty' });
  return problems;
}

function importProblems(files: Readonly<Record<string, string>>): PackageProblem[] {
  const paths = new Set(Object.keys(files));
  return Object.entries(files).flatMap(([file, text]) =>
    ts.preProcessFile(text, true, true).importedFiles.flatMap(({ fileName, pos }) => {
      const fine = fileName.startsWith('.') ? resolveRelative(file, fileName, paths) !== null : allowedImport(fileName);
      return fine
        ? []
        : [
            {
              file,
              line: lineOf(text, pos),
              message: `import "${fileName}" is not allowed: a package imports ${ALLOWED_IMPORTS} and its own files`,
            },
          ];
    }),
  );
}

/** The compiler's errors in the package, each with its file and line. */
function typeProblems(name: string, files: Readonly<Record<string, string>>): PackageProblem[] {
  const root = join(PROJECT_ROOT, '.package-check', name);
  const inPackage = (file: string): string | null => {
    const path = relative(root, file);
    return path in files ? path : null;
  };
  const host = ts.createCompilerHost(OPTIONS);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, ...rest) => {
    const path = inPackage(file);
    return path === null
      ? getSourceFile(file, language, ...rest)
      : ts.createSourceFile(file, files[path] ?? '', language);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => inPackage(file) !== null || fileExists(file);
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (dir) => dir === root || dir.startsWith(`${root}/`) || (directoryExists?.(dir) ?? false);
  const realpath = host.realpath?.bind(host);
  host.realpath = (file) => (inPackage(file) === null && realpath ? realpath(file) : file);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => {
    const path = inPackage(file);
    return path === null ? readFile(file) : files[path];
  };
  const program = ts.createProgram(
    Object.keys(files).map((path) => join(root, path)),
    OPTIONS,
    host,
  );
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const file = diagnostic.file ? inPackage(diagnostic.file.fileName) : null;
    if (!diagnostic.file || file === null) return { file: '', line: null, message };
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    return { file, line: line + 1, message };
  });
}

const compileModule = (path: string, text: string): string =>
  ts.transpileModule(text, { compilerOptions: { ...OPTIONS, noEmit: false }, fileName: path }).outputText;

/** The types a compiled package defines, or why they are not acceptable. */
function typeNames(name: string, hash: string, modules: Record<string, string>): CompileAnswer {
  let types;
  try {
    types = definedTypes(evaluatePackage({ name, hash, modules }));
  } catch (err) {
    return {
      ok: false,
      problems: [{ file: '', line: null, message: messageOf(err) }],
    };
  }
  const problems: PackageProblem[] = [];
  if (types.length === 0)
    problems.push({
      file: 'index.ts',
      line: null,
      message: `exports no resource type (defineResourceType from ${SDK_SPECIFIER})`,
    });
  const names = types.map((t) => t.type);
  for (const type of types) {
    const namespace = String(type.type).split(':')[0] ?? '';
    const wrong = !TYPE_NAME.test(String(type.type))
      ? 'is not namespaced: lowercase names separated by colons, e.g. acme:dns:record'
      : RESERVED.has(namespace)
        ? `is in the namespace of the built-in ${namespace} types`
        : names.indexOf(type.type) !== names.lastIndexOf(type.type)
          ? 'is defined twice'
          : !(type.properties instanceof z.ZodType)
            ? 'has no zod schema as properties'
            : null;
    if (wrong) problems.push({ file: 'index.ts', line: null, message: `type "${String(type.type)}" ${wrong}` });
  }
  return problems.length ? { ok: false, problems } : { ok: true, hash, modules, types: [...new Set(names)] };
}

export function compilePackage(name: string, files: Readonly<Record<string, string>>): CompileAnswer {
  const early = [...pathProblems(files), ...importProblems(files)];
  if (early.length) return { ok: false, problems: early };
  const typed = typeProblems(name, files);
  if (typed.length) return { ok: false, problems: typed };
  const modules = Object.fromEntries(Object.entries(files).map(([path, text]) => [path, compileModule(path, text)]));
  return typeNames(name, sourceHash(files), modules);
}
