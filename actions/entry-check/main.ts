/**
 * The entry-check action: inputs → settings → runEntryCheck → outputs. No logic lives here.
 * An invalid entry fails the job (a red check) after the comment, status and label are set.
 */
import * as core from '@actions/core';
import { actionInput, runAction } from '../../src/github/action.js';
import { makeOctokit } from '../../src/github/api.js';
import { connectCommitmentSource } from '../../src/github/chain-source.js';
import { runEntryCheck } from '../../src/github/entry-check.js';
import { httpsProbe } from '../../src/github/probe.js';
import { readSettings } from '../../src/github/settings/entry-check.js';
import type { CommitmentSource } from '../../src/entries/onchain.js';

await runAction(async () => {
  const s = readSettings(actionInput, process.env);
  let chain: { source: CommitmentSource; close: () => Promise<void> } | null = null;
  if (s.chainEndpoint !== null) {
    chain = await connectCommitmentSource(s.chainEndpoint).catch((err: unknown) => {
      core.warning(`chain not checked: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    });
  }
  try {
    const result = await runEntryCheck(
      {
        pr: s.pr,
        repoRoot: s.repoRoot,
        now: new Date(),
        botLogin: s.botLogin,
        statusContext: s.statusContext,
      },
      {
        octokit: makeOctokit(s.token, s.apiUrl),
        probe: s.probeUrls ? httpsProbe() : null,
        chain: chain?.source ?? null,
      },
    );
    core.setOutput('valid', String(result.verdict.valid));
    core.setOutput('comment-url', result.commentUrl);
    core.info(`${result.summary}: ${result.commentUrl}`);
    if (!result.verdict.valid) core.setFailed(result.summary);
  } finally {
    await chain?.close();
  }
});
