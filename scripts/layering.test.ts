/**
 * The layering of ../shared/DESIGN.md ("Dependencies point one way: errors → contracts → core →
 * miner, validator, api → cli; gauntlet and devtools sit beside cli and are imported by no
 * product package"), checked over every source file of every workspace package. Imports are
 * read with TypeScript's own pre-processor, so `import type`, `export … from` and `import()`
 * all count. A failure names the file, the line and the import.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * Layer of each workspace package, lowest first. A package's dependencies must sit on a lower
 * layer. devtools is on errors only; gauntlet builds on the miner; cli, on top, runs the devnet
 * with both.
 */
const LAYERS: Record<string, number> = {
  '@tessera/errors': 0,
  '@tessera/contracts': 1,
  '@tessera/devtools': 1,
  '@tessera/core': 2,
  '@tessera/miner': 3,
  '@tessera/validator': 3,
  '@tessera/api': 3,
  '@tessera/gauntlet': 4,
  '@tessera/cli': 5,
};

/** Packages that ship in the product: their non-test code never reaches test or cheat tooling. */
const PRODUCT = new Set([
  '@tessera/errors',
  '@tessera/contracts',
  '@tessera/core',
  '@tessera/miner',
  '@tessera/validator',
  '@tessera/api',
  '@tessera/cli',
]);

/** Test and cheat tooling, never imported by product code. */
const TOOLING = new Set(['@tessera/devtools', '@tessera/gauntlet']);

/** Product folders that may use the tooling anyway: the one-machine devnet runs adversaries. */
const TOOLING_ALLOWED_UNDER = ['packages/cli/src/devnet/'];

/** The two chain backends; each may use `packages/core/src/chain/*` but not the other. */
const BACKENDS = ['packages/core/src/chain/evm/', 'packages/core/src/chain/subtensor/'];

/**
 * Known violations, each with why it stays for now. An entry that no longer matches fails the
 * test, so the list only shrinks.
 */
const ALLOWED: { file: string; specifier: string; reason: string }[] = [];

/**
 * Test doubles a package exposes beside its entry point (`@tessera/core/testing`: the in-memory
 * SubnetChain). Only test files may import them, by that name; product code never does, by name
 * or by path.
 */
const TESTING_ENTRIES: Record<string, string> = { '@tessera/core/testing': 'packages/core/src/testing/' };

type Workspace = {
  name: string;
  /** Relative to the root, with a trailing slash. */
  dir: string;
  dependencies: Set<string>;
  devDependencies: Set<string>;
};

type Violation = { file: string; line: number; specifier: string; rule: string };

const SOURCE = /\.(?:[cm]?ts|[cm]?js)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'artifacts']);

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function keys(value: unknown): Set<string> {
  return new Set(Object.keys((value ?? {}) as Record<string, string>));
}

function readWorkspaces(): Workspace[] {
  const dirs = readJson(join(root, 'package.json')).workspaces as string[];
  return dirs.map((dir) => {
    const manifest = readJson(join(root, dir, 'package.json'));
    return {
      name: manifest.name as string,
      dir: `${dir.replace(/\/$/, '')}/`,
      dependencies: new Set([...keys(manifest.dependencies), ...keys(manifest.peerDependencies)]),
      devDependencies: keys(manifest.devDependencies),
    };
  });
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) files.push(...sourceFiles(`${path}/`));
    } else if (entry.isFile() && SOURCE.test(entry.name)) {
      files.push(path);
    }
  }
  return files;
}

/** Every module specifier `file` imports, re-exports or loads with `import()`, with its line. */
function readImports(text: string): { specifier: string; line: number }[] {
  const info = ts.preProcessFile(text, true, true);
  const source = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, false);
  return info.importedFiles.map((ref) => ({
    specifier: ref.fileName,
    line: source.getLineAndCharacterOfPosition(ref.pos).line + 1,
  }));
}

/** A test file: `*.test.ts` (any project) or anything under a `_test/` folder. */
function isTestPath(path: string): boolean {
  return /\.test\.[cm]?[jt]s$/.test(path) || `/${path}`.includes('/_test/');
}

/**
 * A file that never ships, so it may use devDependencies: a test file, or a package's build
 * script (`packages/<name>/scripts/`, e.g. the contracts' solc compile and deploy steps).
 */
function isDevPath(path: string): boolean {
  return isTestPath(path) || /^packages\/[^/]+\/scripts\//.test(path);
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

const BUILTINS = new Set(builtinModules);

type CheckImportParameters = {
  /** The importing file, relative to the root. */
  file: string;
  specifier: string;
  workspace: Workspace;
  /** Root devDependencies (jest, typescript, …), open to test files. */
  rootDevDependencies: Set<string>;
};

/** The rules `specifier`, imported by `file`, breaks: empty when it keeps them all. */
function checkImport(parameters: CheckImportParameters): string[] {
  const { file, specifier, workspace, rootDevDependencies } = parameters;
  const dev = isDevPath(file);
  const product = PRODUCT.has(workspace.name) && !TOOLING_ALLOWED_UNDER.some((d) => file.startsWith(d));
  const broken: string[] = [];

  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const target = relative(root, resolve(root, dirname(file), specifier))
      .split(sep)
      .join('/');
    if (target.startsWith('..') || !target.startsWith(workspace.dir)) {
      broken.push(`reaches outside ${workspace.dir} by path (import other packages by name)`);
    }
    const testing = Object.values(TESTING_ENTRIES).some((dir) => target.startsWith(dir));
    const ownTesting = Object.values(TESTING_ENTRIES).some((dir) => file.startsWith(dir));
    if (product && !dev && (isTestPath(target.replace(/\.js$/, '.ts')) || (testing && !ownTesting))) {
      broken.push('product code imports a test module');
    }
    for (const backend of BACKENDS) {
      const other = BACKENDS.find((b) => b !== backend);
      if (other && file.startsWith(backend) && target.startsWith(other)) {
        broken.push(`the ${backend} backend imports the ${other} backend (share through core/chain)`);
      }
    }
    return broken;
  }

  if (specifier.startsWith('node:') || BUILTINS.has(specifier)) return broken;
  const name = packageOf(specifier);
  if (name === workspace.name) return dev ? broken : ['imports its own package by name'];

  if (name.startsWith('@tessera/')) {
    if (TESTING_ENTRIES[specifier] !== undefined) {
      if (!dev) broken.push('product code imports test doubles (only test files may)');
    } else if (specifier !== name) broken.push(`deep import (each package exposes only src/index.ts)`);
    const own = LAYERS[workspace.name];
    const their = LAYERS[name];
    if (own === undefined || their === undefined) {
      broken.push(`${workspace.name} or ${name} has no layer in scripts/layering.test.ts`);
    } else if (their >= own && !(dev && workspace.devDependencies.has(name))) {
      broken.push(`imports ${name}, which is not below ${workspace.name}`);
    }
    if (product && !dev && TOOLING.has(name)) broken.push('product code imports test or cheat tooling');
    if (/(^|\/)_test(\/|$)|\.test(\.|$)/.test(specifier)) broken.push('imports a test module');
  }

  if (workspace.dependencies.has(name)) return broken;
  if (workspace.devDependencies.has(name) || rootDevDependencies.has(name)) {
    if (!dev) broken.push(`${name} is only a devDependency: test files alone may import it`);
    return broken;
  }
  broken.push(`${name} is not in ${workspace.dir}package.json`);
  return broken;
}

function findViolations(): { violations: Violation[]; files: number; imports: number } {
  const workspaces = readWorkspaces();
  const rootDevDependencies = keys(readJson(join(root, 'package.json')).devDependencies);
  const violations: Violation[] = [];
  let files = 0;
  let imports = 0;
  for (const workspace of workspaces) {
    for (const file of sourceFiles(workspace.dir)) {
      files++;
      for (const { specifier, line } of readImports(readFileSync(join(root, file), 'utf8'))) {
        imports++;
        for (const rule of checkImport({ file, specifier, workspace, rootDevDependencies })) {
          violations.push({ file, line, specifier, rule });
        }
      }
    }
  }
  return { violations, files, imports };
}

function format(v: Violation): string {
  return `${v.file}:${v.line} imports '${v.specifier}': ${v.rule}`;
}

describe('layering', () => {
  const { violations, files, imports } = findViolations();
  const isAllowed = (v: Violation) => ALLOWED.some((a) => a.file === v.file && a.specifier === v.specifier);

  it('reads every package', () => {
    expect(files).toBeGreaterThan(300);
    expect(imports).toBeGreaterThan(1000);
  });

  it('no package imports one above it, tooling, or the other chain backend', () => {
    expect(violations.filter((v) => !isAllowed(v)).map(format)).toEqual([]);
  });

  it('every allowed violation still occurs', () => {
    const stale = ALLOWED.filter(
      (a) => !violations.some((v) => v.file === a.file && v.specifier === a.specifier),
    );
    expect(stale).toEqual([]);
  });

  it('every dependency in a package.json points down a layer', () => {
    const wrong: string[] = [];
    for (const workspace of readWorkspaces()) {
      for (const dependency of workspace.dependencies) {
        const own = LAYERS[workspace.name];
        const their = LAYERS[dependency];
        if (!dependency.startsWith('@tessera/')) continue;
        if (own === undefined || their === undefined || their >= own)
          wrong.push(`${workspace.name} → ${dependency}`);
        if (PRODUCT.has(workspace.name) && TOOLING.has(dependency) && workspace.name !== '@tessera/cli') {
          wrong.push(`${workspace.name} → ${dependency} (tooling)`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('checkImport', () => {
  const workspaces = readWorkspaces();
  const byName = (name: string) => workspaces.find((w) => w.name === name)!;
  const check = (file: string, specifier: string, name: string) =>
    checkImport({ file, specifier, workspace: byName(name), rootDevDependencies: new Set(['jest']) });

  it('flags each kind of violation', () => {
    expect(check('packages/core/src/x.ts', '@tessera/miner', '@tessera/core')).toEqual([
      'imports @tessera/miner, which is not below @tessera/core',
      '@tessera/miner is not in packages/core/package.json',
    ]);
    expect(check('packages/miner/src/x.ts', '@tessera/devtools', '@tessera/miner')).toEqual([
      'product code imports test or cheat tooling',
      '@tessera/devtools is only a devDependency: test files alone may import it',
    ]);
    expect(check('packages/api/src/x.ts', './_test/simulate.js', '@tessera/api')).toEqual([
      'product code imports a test module',
    ]);
    expect(check('packages/core/src/chain/subtensor/x.ts', '../evm/y.js', '@tessera/core')).toEqual([
      'the packages/core/src/chain/subtensor/ backend imports the packages/core/src/chain/evm/ backend (share through core/chain)',
    ]);
    expect(check('packages/miner/src/x.ts', '@tessera/core/testing', '@tessera/miner')).toEqual([
      'product code imports test doubles (only test files may)',
    ]);
    expect(check('packages/core/src/sync/x.ts', '../testing/createMemoryChain.js', '@tessera/core')).toEqual([
      'product code imports a test module',
    ]);
    expect(check('packages/miner/src/x.ts', '@tessera/core/storage', '@tessera/miner')).toEqual([
      'deep import (each package exposes only src/index.ts)',
    ]);
    expect(check('packages/miner/src/x.ts', '../../core/src/index.js', '@tessera/miner')).toEqual([
      'reaches outside packages/miner/ by path (import other packages by name)',
    ]);
  });

  it('passes what the layering allows', () => {
    expect(check('packages/miner/src/x.test.ts', '@tessera/devtools', '@tessera/miner')).toEqual([]);
    expect(check('packages/validator/src/x.test.ts', '@tessera/core/testing', '@tessera/validator')).toEqual(
      [],
    );
    expect(check('packages/core/src/testing/index.ts', './createMemoryChain.js', '@tessera/core')).toEqual(
      [],
    );
    expect(check('packages/cli/src/devnet/x.ts', '@tessera/gauntlet', '@tessera/cli')).toEqual([]);
    expect(check('packages/core/src/chain/evm/x.ts', '../types.js', '@tessera/core')).toEqual([]);
    expect(check('packages/core/src/x.test.ts', 'jest', '@tessera/core')).toEqual([]);
    expect(check('packages/core/src/x.ts', 'node:fs', '@tessera/core')).toEqual([]);
    expect(check('packages/contracts/scripts/compile.ts', 'solc', '@tessera/contracts')).toEqual([]);
  });
});
