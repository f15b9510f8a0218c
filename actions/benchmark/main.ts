/**
 * benchmark action: read the inputs into settings (src/github/settings/benchmark.ts), run benchmarkRound (src/bench/round.ts),
 * set outputs, write a summary table and one annotation per invalid submission. See action.yml.
 */
import * as core from '@actions/core';
import { join } from 'node:path';
import { reportRows, runHeader, tableCells } from '../../src/bench/report.js';
import { benchmarkRound } from '../../src/bench/round.js';
import { actionInput, runAction } from '../../src/github/action.js';
import { readBenchmarkSettings } from '../../src/github/settings/benchmark.js';

await runAction(async () => {
  const s = readBenchmarkSettings(actionInput, process.env);
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
