/**
 * score action: write or check a round's score.json (src/score/files.ts), report it in the job
 * summary and as annotations. Inputs are read once into settings
 * (src/github/settings/score.ts); see action.yml.
 */
import * as core from '@actions/core';
import { actionInput, runAction } from '../../src/github/action.js';
import { readScoreSettings } from '../../src/github/settings/score.js';
import { compactCanonicalJson } from '../../src/json/canonical.js';
import { checkScore, checkMessage, writeScore } from '../../src/score/files.js';
import { annotations, summaryRows } from '../../src/score/report.js';
import type { ScoreDocument } from '../../src/documents/score.js';

function report(file: string, doc: ScoreDocument): void {
  const earning = doc.submissions.filter((s) => s.earns);
  core.setOutput('score-file', file);
  core.setOutput('submissions', String(doc.submissions.length));
  core.setOutput('valid', String(doc.submissions.filter((s) => s.valid).length));
  core.setOutput('earning', String(earning.length));
  core.setOutput('winner', earning[0]?.hotkey ?? '');
  core.setOutput('fallback', String(doc.weights.fallback !== null));
  core.setOutput('weights', compactCanonicalJson(doc.weights.u16));
  for (const a of annotations(doc)) core[a.level](a.message, { title: a.title });
  const [header, ...rows] = summaryRows(doc);
  core.summary
    .addHeading(`score ${doc.contest.id} ${doc.round}`, 2)
    .addTable([header!.map((data) => ({ data, header: true })), ...rows]);
}

await runAction(async () => {
  const s = readScoreSettings(actionInput);
  if (s.check) {
    const result = await checkScore(s.round, s.options);
    if (!result.ok) throw new Error(checkMessage(result));
    report(result.file, result.computed.document);
    core.summary.addRaw(`${result.file} matches the recomputed score.`, true);
  } else {
    const { file, document } = await writeScore(s.round, s.options);
    report(file, document);
  }
  await core.summary.write();
});
