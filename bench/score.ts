/**
 * Scoring speed: 1,000 submissions × 200 paired samples on one runner (2,000 bootstrap
 * resamples, latency + load time + memory), with 30 earlier rounds of history in the weight
 * window. Times scoreRound alone and scoreRound + canonical JSON + schema validation; the
 * target is < 0.5 s. Prints the sha256 of score.json's canonical text, so a speed change can
 * show it left every byte as it was. Usage:
 *   npx tsx bench/score.ts [--submissions N] [--samples N] [--history N] [--runs N]
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { canonicalJson } from '../src/json/canonical.js';
import { machineState } from './machine.js';
import { validateDocument } from '../src/schemas/validate.js';
import { ScoreSchema, type ScoreDocument } from '../src/documents/score.js';
import { scoreRound } from '../src/score/score.js';
import type { ScoreInputs } from '../src/score/inputs.js';
import { syntheticHotkey, testBench, testContest, testRound } from '../src/score/testing.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function inputs(submissions: number, samples: number, history: number): ScoreInputs {
  const contest = testContest(
    [
      { name: 'latency', weight: 1 },
      { name: 'loadTime', weight: 0.1 },
      { name: 'memory', weight: 0.2 },
    ],
    { bootstrapResamples: 2000, weights: { historyRounds: history + 1 } },
  );
  const rand = lcg(42);
  const subs = Array.from({ length: submissions }, (_, i) => ({
    hotkey: syntheticHotkey(i),
    uid: i + 1,
    block: 100 + i,
  }));
  const noisy = (mean: number) =>
    Array.from({ length: samples }, () => mean * (0.95 + 0.1 * rand()));
  const bench = [
    testBench({ ms: noisy(10), inputs: 20 }),
    ...subs.map((s) =>
      testBench({
        hotkey: s.hotkey,
        uid: s.uid,
        ms: noisy(10 * (0.6 + 0.6 * rand())),
        inputs: 20,
        loadMs: 80 + 40 * rand(),
        peakRssBytes: Math.round(9e7 + 2e7 * rand()),
      }),
    ),
  ];
  const round = testRound(subs, { id: '2025-03-01' });
  return { contest, round, bench, history: pastRounds(contest, round, bench, history) };
}

/** Scores the round once, then relabels that score as `count` earlier rounds. */
function pastRounds(
  contest: ScoreInputs['contest'],
  round: ScoreInputs['round'],
  bench: ScoreInputs['bench'],
  count: number,
): ScoreDocument[] {
  const base = scoreRound({
    contest,
    round: { ...round, id: '2025-01-01' },
    bench: relabel(bench, '2025-01-01'),
    history: [],
  });
  return Array.from({ length: count }, (_, k) => {
    const doc = structuredClone(base);
    const day = new Date(Date.UTC(2025, 0, 1 + k)).toISOString().slice(0, 10);
    doc.round = day;
    return doc;
  });
}

function relabel(bench: ScoreInputs['bench'], id: string): ScoreInputs['bench'] {
  return bench.map((b) => ({ ...b, round: id }));
}

function main(): void {
  const { values } = parseArgs({
    options: {
      submissions: { type: 'string', default: '1000' },
      samples: { type: 'string', default: '200' },
      history: { type: 'string', default: '30' },
      runs: { type: 'string', default: '5' },
    },
  });
  const [n, samples, history, runs] = [
    values.submissions,
    values.samples,
    values.history,
    values.runs,
  ].map(Number) as [number, number, number, number];
  const machine = machineState();
  const t0 = performance.now();
  const data = inputs(n, samples, history);
  console.log(
    `setup (building and validating fixtures): ${(performance.now() - t0).toFixed(0)} ms`,
  );
  const score: number[] = [];
  const cpu: number[] = [];
  const total: number[] = [];
  let bytes = 0;
  const digests = new Set<string>();
  for (let r = 0; r < runs; r++) {
    const a = performance.now();
    const used = process.cpuUsage();
    const doc = scoreRound(data);
    const b = performance.now();
    const spent = process.cpuUsage(used);
    cpu.push((spent.user + spent.system) / 1000);
    const text = canonicalJson(doc);
    const problems = validateDocument(ScoreSchema, JSON.parse(text));
    const c = performance.now();
    if (problems.length > 0)
      throw new Error(`invalid score document: ${JSON.stringify(problems[0])}`);
    bytes = text.length;
    digests.add(createHash('sha256').update(text, 'utf8').digest('hex'));
    score.push(b - a);
    total.push(c - a);
  }
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(
    `scoreRound: ${n} submissions × ${samples} samples, ${data.contest.scoring.bootstrapResamples} resamples, ${history} rounds of history (${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, node ${process.version})`,
  );
  console.log(
    `  scoreRound ms per run:                  ${fmt(score)}  (best ${Math.min(...score).toFixed(0)}, target < 500)`,
  );
  console.log(
    `  scoreRound CPU ms per run:              ${fmt(cpu)}  (best ${Math.min(...cpu).toFixed(0)})`,
  );
  console.log(
    `  + canonical JSON + validation ms per run: ${fmt(total)}  (best ${Math.min(...total).toFixed(0)})`,
  );
  console.log(`  ${machine()}`);
  console.log(`  score.json: ${(bytes / 1e6).toFixed(2)} MB, sha256 ${[...digests].join(' / ')}`);
}

main();
