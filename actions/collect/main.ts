/**
 * collect action: plan the round (src/round/plan.ts) and, at stage "collect", freeze it as
 * round.json (src/round/collect.ts). Inputs are read once into settings
 * (src/github/settings/collect.ts); see action.yml.
 */
import * as core from '@actions/core';
import { join } from 'node:path';
import { connectChain, resolveEndpoint } from '../../src/chain/connect.js';
import { loadContest } from '../../src/contest/load.js';
import { actionInput, runAction } from '../../src/github/action.js';
import { readCollectSettings } from '../../src/github/settings/collect.js';
import { writeDocument } from '../../src/json/file.js';
import { collectRound } from '../../src/round/collect.js';
import { planRound } from '../../src/round/plan.js';
import * as report from '../../src/round/report.js';
import { RoundSchema } from '../../src/documents/round.js';

await runAction(async () => {
  const s = readCollectSettings(actionInput, () => new Date());
  const loaded = await loadContest(join(s.contests, s.contest));
  const { runner, schedule, chain } = loaded.contest;
  const plan = await planRound(join(s.results, s.contest), schedule, s.now, {
    round: s.round,
    maxCatchUp: s.maxCatchUp,
  });
  core.setOutput('round', plan.round?.id ?? '');
  core.setOutput('stage', plan.stage);
  core.setOutput('cutoff', plan.round?.cutoff ?? '');
  core.setOutput('runner-label', runner.label);
  core.setOutput('onnxruntime-install', runner.executionProvider === 'cuda' ? 'cuda12' : 'skip');
  core.setOutput('shards', JSON.stringify([...Array(s.shards).keys()]));
  core.setOutput('shard-count', String(s.shards));
  const skipped = report.skippedAnnotation(s.contest, plan);
  if (skipped) core.warning(skipped.message, { title: skipped.title });
  core.summary.addHeading(`collect ${s.contest}`, 2).addTable(report.planRows(s.contest, plan));
  if (plan.stage === 'collect' && plan.round) {
    const api = await connectChain(resolveEndpoint(chain.endpoint));
    try {
      const round = await collectRound({
        api,
        contestDir: loaded.dir,
        repo: '.',
        round: plan.round,
        allowFileUrls: s.allowFileUrls,
      });
      await writeDocument(join(s.out, 'round.json'), RoundSchema, round);
      core.setOutput('cutoff-block', String(round.cutoff.block));
      core.setOutput('submissions', String(round.submissions.length));
      core.setOutput('rejected', String(round.rejected.length));
      for (const a of report.rejectedAnnotations(round)) core.notice(a.message, { title: a.title });
      core.summary.addHeading('submissions', 3).addTable(report.submissionRows(round));
    } finally {
      await api.disconnect();
    }
  }
  core.notice(plan.reason, { title: `round ${plan.round?.id ?? '—'}: ${plan.stage}` });
  await core.summary.write();
});
