import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/version.js';
import { importGraph } from './import-graph.js';

const REGISTRY = 'src/schemas/registry.ts';

/** The document-format modules (src/documents/ and every schema.ts) a graph reaches, sorted. */
function schemasIn(files: ReadonlySet<string>): string[] {
  return [...files]
    .filter((f) => f.startsWith('src/documents/') || f.endsWith('/schema.ts'))
    .sort();
}

describe('layering: who loads which schema', () => {
  it('reading or writing a document (src/json/file.ts) loads no schema and not the registry', async () => {
    const graph = await importGraph('src/json/file.ts');
    expect(graph.files).not.toContain(REGISTRY);
    expect(schemasIn(graph.files)).toEqual([]);
  });

  it('the benchmark child bundle loads no schema and no ajv', async () => {
    const graph = await importGraph('src/bench/child/worker.ts');
    expect(schemasIn(graph.files)).toEqual([]);
    expect(graph.packages).not.toContain('ajv');
  });

  it('the benchmark step that writes bench files loads only the schemas it reads and writes', async () => {
    const graph = await importGraph('src/bench/round.ts');
    expect(graph.files).not.toContain(REGISTRY);
    expect(schemasIn(graph.files)).toEqual([
      'src/contest/schema.ts',
      'src/documents/bench.ts',
      'src/documents/round.ts',
    ]);
  });

  it('podium validate, which finds a kind by $schema, does load the registry (the check can fail)', async () => {
    const graph = await importGraph('src/cli/validate.ts');
    expect(graph.files).toContain(REGISTRY);
  });
});

describe('layering: the audit log is separate from the round steps', () => {
  it('no module of src/results reaches the chain, entries, schedule or the round steps', async () => {
    const modules = (await readdir(`${REPO_ROOT}/src/results`)).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'testing.ts',
    );
    expect(modules.length).toBeGreaterThan(5);
    for (const module of modules) {
      const graph = await importGraph(`src/results/${module}`);
      const reached = [...graph.files].filter((f) =>
        /^src\/(chain|entries|schedule|round)\//.test(f),
      );
      expect({ module, reached }).toEqual({ module, reached: [] });
    }
  });

  it('measuring (src/bench, its report aside) reaches only the pure ratio estimator of scoring, and scoring does not import bench', async () => {
    const bench = (await readdir(`${REPO_ROOT}/src/bench`)).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'report.ts',
    );
    // Sequential measurement stops on the interval score.json will publish, so it computes it
    // with scoring's estimator: the paired bootstrap and nothing else of scoring.
    const estimator = new Set([
      'src/score/ratio.ts',
      'src/score/bootstrap.ts',
      'src/score/lanes.ts',
      'src/score/prng.ts',
      // Wilson's interval: the load phase's early stopping on the share over the bound (load.ts).
      'src/score/wilson.ts',
    ]);
    const entries = [
      ...bench.map((f) => [`src/bench/${f}`, 'src/score/', estimator] as const),
      ['src/score/score.ts', 'src/bench/', new Set<string>()] as const,
    ];
    let used = false;
    for (const [entry, other, allowed] of entries) {
      const graph = await importGraph(entry);
      const files = [...graph.files].filter((f) => f.startsWith(other));
      used ||= files.length > 0;
      const reached = files.filter((f) => !allowed.has(f));
      expect({ entry, reached }).toEqual({ entry, reached: [] });
    }
    expect(used).toBe(true);
  });
});

describe('layering: the results site verifier', () => {
  it('bundles the checks of podium verify and scoring, and nothing of measuring, the chain or the steps', async () => {
    const graph = await importGraph('src/site/browser/main.ts');
    expect(graph.files).toContain('src/results/checks.ts');
    expect(graph.files).toContain('src/results/score-rerun.ts');
    expect(graph.files).toContain('src/score/score.ts');
    const reached = [...graph.files].filter((f) =>
      /^src\/(chain|entries|schedule|round|bench|github|cli)\//.test(f),
    );
    expect(reached).toEqual([]);
    expect(graph.packages).not.toContain('onnxruntime-node');
  });
});

describe('layering: only actions talk to the runner', () => {
  it('the podium CLI loads no @actions/core (actions/*/main.ts do, through src/github/action.ts)', async () => {
    const cli = await importGraph('src/cli/main.ts');
    expect(cli.packages).not.toContain('@actions/core');
    const commit = await importGraph('actions/commit/main.ts');
    expect(commit.packages).toContain('@actions/core');
  });
});
