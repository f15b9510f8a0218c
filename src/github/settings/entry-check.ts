/**
 * The entry-check action's inputs, read and validated in one place into one typed object
 * (actions/checkout's input-helper): every message names the input and the bad value.
 */
import type { PullRequestRef } from '../api.js';
import { booleanInput, InputError, type ReadInput } from '../inputs.js';

/** Input names of actions/entry-check/action.yml, in one place. */
export const Inputs = {
  Token: 'github-token',
  Repository: 'repository',
  PullRequest: 'pull-request',
  HeadSha: 'head-sha',
  ChainEndpoint: 'chain-endpoint',
  ProbeUrls: 'probe-urls',
  StatusContext: 'status-context',
  BotLogin: 'bot-login',
} as const;

/** Everything the action needs, validated. */
export interface ActionSettings {
  readonly token: string;
  readonly apiUrl: string;
  readonly pr: PullRequestRef;
  /** ws(s):// URL, or null: registration and commitment are "not checked". */
  readonly chainEndpoint: string | null;
  readonly probeUrls: boolean;
  readonly statusContext: string;
  readonly botLogin: string;
  /** The BASE checkout (GITHUB_WORKSPACE). */
  readonly repoRoot: string;
}

/**
 * Reads the inputs through `input` (core.getInput in the action) and `env`. Returns the
 * settings; throws InputError naming the first bad input.
 */
export function readSettings(input: ReadInput, env: NodeJS.ProcessEnv): ActionSettings {
  const token = input(Inputs.Token);
  if (token === '') throw new InputError(Inputs.Token, 'is required');
  const repository = input(Inputs.Repository);
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repository);
  if (!m || !m[1] || !m[2]) {
    throw new InputError(Inputs.Repository, `must be owner/name (got "${repository}")`);
  }
  const number = Number(input(Inputs.PullRequest));
  if (!Number.isSafeInteger(number) || number < 1) {
    throw new InputError(
      Inputs.PullRequest,
      `must be a PR number (got "${input(Inputs.PullRequest)}")`,
    );
  }
  const headSha = input(Inputs.HeadSha);
  if (!/^[0-9a-f]{40}$/.test(headSha)) {
    throw new InputError(Inputs.HeadSha, `must be a 40-hex commit sha (got "${headSha}")`);
  }
  const endpoint = input(Inputs.ChainEndpoint);
  if (endpoint !== '' && !/^wss?:\/\/\S+$/.test(endpoint)) {
    throw new InputError(
      Inputs.ChainEndpoint,
      `must be a ws:// or wss:// URL or empty (got "${endpoint}")`,
    );
  }
  const probeUrls = booleanInput(input, Inputs.ProbeUrls, true);
  return {
    token,
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    pr: { owner: m[1], repo: m[2], number, headSha },
    chainEndpoint: endpoint === '' ? null : endpoint,
    probeUrls,
    statusContext: input(Inputs.StatusContext) || 'podium/entry',
    botLogin: input(Inputs.BotLogin) || 'github-actions[bot]',
    repoRoot: env.GITHUB_WORKSPACE || process.cwd(),
  };
}
