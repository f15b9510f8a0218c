/**
 * commit action: commit a round's files (mode "round", the commit job) or its weights.json and
 * signed index entry (mode "record", the record job) to the results repository in the
 * workspace, pushing with fetch-rebase-retry (src/round/commit.ts). See action.yml.
 */
import * as core from '@actions/core';
import { actionInput, runAction } from '../../src/github/action.js';
import { readCommitSettings } from '../../src/github/settings/commit.js';
import { ACTIONS_BOT } from '../../src/results/git.js';
import { commitRound, recordRound } from '../../src/round/commit.js';

await runAction(async () => {
  const s = readCommitSettings(actionInput);
  const write = { repo: '.', contest: s.contest, round: s.round, from: s.from };
  const push = {
    remote: s.remote,
    branch: s.branch,
    attempts: s.attempts,
    author: ACTIONS_BOT,
    log: (line: string) => core.info(line),
  };
  const result =
    s.mode === 'round' ? await commitRound(write, push) : await recordRound(write, push);
  core.setOutput('commit', result.commit);
  core.setOutput('status', result.status);
  core.setOutput('attempts', String(result.attempts));
  core.notice(`${s.mode} ${s.contest} ${s.round}: ${result.status} ${result.commit}`, {
    title: `results ${s.mode === 'round' ? 'committed' : 'recorded'}`,
  });
});
