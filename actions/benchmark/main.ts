/**
 * benchmark action: read the inputs into Settings, run benchmarkRound (src/bench/round.ts),
 * set outputs, write a summary table and one annotation per invalid submission. See action.yml.
 */
import * as core from '@actions/core';
import { join } from 'node:path';
import { reportRows, runHeader, tableCells } from '../../src/bench/report.js';
import { runnerSlug } from '../../src/documents/bench.js';
import { benchmarkRound, type Shard } from '../../src/bench/round.js';
import { optionalInput, requiredInput, runAction } from '../../src/github/action.js';

interface Settings {
  readonly contest: string;
  readonly round: string;
  readonly shard: Shard;
  readonly out: string;
  readonly runner: string;
  readonly allowNetwork: boolean;
}

function integer(name: string, text: string, min: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min)
    throw new Error(`input "${name}" must be an integer ≥ ${min} (got "${text}")`);
  return n;
}

function settings(): Settings {
  const count = integer('shards', optionalInput('shards', '1'), 1);
  const index = integer('shard', optionalInput('shard', '0'), 0);
  if (index >= count)
    throw new Error(`input "shard" must be below shards (${count}) (got "${index}")`);
  const allow = optionalInput('allow-network', 'false');
  if (allow !== 'true' && allow !== 'false')
    throw new Error(`input "allow-network" must be true or false (got "${allow}")`);
  const base = runnerSlug(optionalInput('runner-name', process.env.RUNNER_NAME ?? 'local'));
  return {
    contest: requiredInput('contest'),
    round: requiredInput('round'),
    shard: { index, count },
    out: requiredInput('out'),
    // One folder per job: a shard's submissions pair with the baseline measured in that job.
    runner: count > 1 ? `${base}-shard-${index}` : base,
    allowNetwork: allow === 'true',
  };
}

await runAction(async () => {
  const s = settings();
  if (s.allowNetwork) core.warning('allow-network is set: models run WITHOUT network isolation');
  const outDir = join(s.out, 'bench', s.runner);
  const result = await benchmarkRound(s.round, s.contest, {
    outDir,
    shard: s.shard,
    runnerName: s.runner,
    allowNetwork: s.allowNetwork,
    log: (line) => core.info(line),
  });
  const docs = result.documents;
  const submissions = docs.filter((d) => d.subject.role === 'submission');
  const invalid = submissions.filter((d) => !d.valid);
  core.setOutput('bench-dir', outDir);
  core.setOutput('runner', s.runner);
  core.setOutput('valid', String(submissions.length - invalid.length));
  core.setOutput('invalid', String(invalid.length));
  for (const d of invalid) {
    const reasons = d.reasons.map((r) => `${r.code}: ${r.message}`).join('; ');
    core.error(reasons, {
      title: `uid ${d.subject.uid} ${d.subject.hotkey} is invalid on ${s.runner}`,
    });
  }
  const first = docs[0];
  const contest = result.contest.id;
  core.notice(
    `${submissions.length - invalid.length} valid, ${invalid.length} invalid on ${s.runner}`,
    {
      title: `benchmark ${contest} ${first?.round ?? ''}`,
    },
  );
  if (first) {
    const { header, body } = tableCells(
      reportRows(docs, {
        resamples: result.contest.scoring.bootstrapResamples,
        confidence: result.contest.scoring.confidence,
      }),
    );
    core.summary
      .addHeading(`benchmark ${contest} · ${first.round} · ${s.runner}`, 2)
      .addCodeBlock(runHeader(first))
      .addTable([header.map((h) => ({ data: h, header: true })), ...body]);
  }
  await core.summary.write();
});
