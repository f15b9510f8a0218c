/**
 * Bundles the site's verifier (src/site/browser/main.ts) for the browser with esbuild. The
 * checks it bundles live in modules that also import node built-ins for their file-system
 * helpers; in the bundle those imports resolve to stubs that throw when called, so a check
 * that reached the file system would fail loudly instead of doing something else (ADR 0130).
 */
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { REPO_ROOT } from '../version.js';

/** The node built-ins the bundled modules import, and the names they import from each. */
const NODE_STUBS: Readonly<Record<string, readonly string[]>> = {
  'node:fs/promises': [
    'readFile',
    'readdir',
    'stat',
    'mkdir',
    'rename',
    'writeFile',
    'rm',
    'chmod',
  ],
  'node:path': ['join', 'dirname', 'basename', 'resolve', 'relative', 'isAbsolute', 'sep'],
  'node:crypto': ['createHash', 'randomBytes'],
  'node:url': ['fileURLToPath', 'pathToFileURL'],
  'node:fs': ['readFileSync'],
  'node:module': ['createRequire'],
};

const nodeStubs: Plugin = {
  name: 'node-stubs',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-stub' }));
    // A task draws its inputs through a dynamic import (sharp, datasets): never in the browser.
    b.onResolve({ filter: /.*/ }, (args) =>
      args.kind === 'dynamic-import' && args.importer.startsWith(join(REPO_ROOT, 'src'))
        ? { path: args.path, namespace: 'dynamic-stub' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'dynamic-stub' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not available in the browser`)});`,
      loader: 'js',
    }));
    b.onLoad({ filter: /.*/, namespace: 'node-stub' }, (args) => {
      const names = NODE_STUBS[args.path];
      if (!names) {
        return {
          errors: [
            {
              text: `${args.path} is imported by a module of the site's verifier; add it to NODE_STUBS in src/site/bundle.ts only if the browser never calls it`,
            },
          ],
        };
      }
      const lines = names.map(
        (n) =>
          `export const ${n} = () => { throw new Error('${args.path} ${n} is not available in the browser'); };`,
      );
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

/** Returns the verifier script's text (ESM, minified). Throws when esbuild fails. */
export async function bundleVerifier(): Promise<string> {
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [join(REPO_ROOT, 'src/site/browser/main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [nodeStubs],
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output for the site verifier');
  return out.text;
}
