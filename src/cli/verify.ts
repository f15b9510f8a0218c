/**
 * `podium verify results/<contest>`: checks a contest's results offline — the index schema,
 * hash chain and signatures bound to the validator named outside the folder (--validator or
 * podium.json), every file's sha256, schema and place, the round seed, weights.json, the files
 * beside the rounds, and a re-run of scoring — printing one line per round. Exit 1 when anything
 * fails or a check could not run (unless skipped with --skip), naming the file and what differs.
 */
import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ChainError } from '../chain/errors.js';
import { auditWithPulses } from '../chain/timelock-audit.js';
import { ROUND_DIR, SKIPPABLE, type SkippableCheck } from '../results/checks.js';
import { formatReport, scoreRerun, verifyResults } from '../results/verify.js';
import { CliError, UsageError } from './errors.js';
import { withChain } from './chain.js';
import { trustedValidator, type TrustedValidator } from './validator-arg.js';
import { resolveEndpoint } from '../chain/connect.js';
import { weightsSigners } from '../chain/weights-signer.js';
import { readSourceIndex, type ChainSigner } from '../results/checks.js';
import { nodeSource } from '../results/node-source.js';
import { readText } from '../results/source.js';

/** The line for a contest with nothing recorded: not an error, and not a claim that anything passed. */
function nothingYet(results: string, state: string): string {
  return (
    `nothing to verify: ${results} ${state} (a contest gets its first round at its first cutoff); ` +
    'nothing was checked'
  );
}

async function isContest(contests: string, id: string): Promise<boolean> {
  return stat(join(contests, id, 'contest.json')).then(
    () => true,
    () => false,
  );
}

/** Options of `podium verify`. */
interface VerifyFlags {
  contests: string;
  score: boolean;
  validator?: string;
  config?: string;
  head?: string;
  json?: boolean;
  pulse: string[];
  pending: string[];
  skip: string[];
  endpoint?: string;
}

/**
 * With --endpoint: who sent each indexed round's weights extrinsics, and, when nothing else
 * names the validator, the sender of the latest round's as the trusted one.
 */
async function chainAnchor(
  results: string,
  endpoint: string,
  trusted: TrustedValidator,
): Promise<TrustedValidator & { chainSigners: Map<string, ChainSigner[]> }> {
  const url = (() => {
    try {
      return resolveEndpoint(endpoint);
    } catch (err) {
      if (err instanceof ChainError) throw new UsageError(`--endpoint ${err.message}`);
      throw err;
    }
  })();
  const source = nodeSource(results);
  const chainSigners = new Map<string, ChainSigner[]>();
  const index = await readSourceIndex(source).catch(() => null); // verify reports a bad index
  if (index === null) return { ...trusted, chainSigners };
  await withChain(url, async (api) => {
    for (const { round } of index.entries) {
      const text = await readText(source, `${round}/weights.json`);
      if (text === null) continue;
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        continue; // the schema check reports it
      }
      chainSigners.set(round, await weightsSigners(api, doc));
    }
  });
  if (trusted.validator !== undefined) return { ...trusted, chainSigners };
  for (const round of [...chainSigners.keys()].reverse()) {
    const sent = chainSigners.get(round)?.find((c) => c.problem === undefined && c.signer !== null);
    if (sent?.signer) {
      return {
        validator: sent.signer,
        validatorFrom: `the chain at ${url}: the sender of round ${round}'s weights.json ${sent.what}`,
        chainSigners,
      };
    }
  }
  return { ...trusted, chainSigners };
}

const repeatable = (value: string, all: string[]) => [...all, value];

function skipped(flags: VerifyFlags): SkippableCheck[] {
  for (const name of flags.skip) {
    if (!(SKIPPABLE as readonly string[]).includes(name)) {
      throw new UsageError(
        `--skip ${name}: not a check that can be skipped (${SKIPPABLE.join(', ')})`,
      );
    }
  }
  const all = flags.score === false ? [...flags.skip, 'score'] : flags.skip;
  return [...new Set(all)] as SkippableCheck[];
}

/** Registers `verify` on the program. */
export function register(program: Command): void {
  program
    .command('verify')
    .description('verify results/<contest> offline: hashes, hash chain, signatures, score re-run')
    .argument('<results>', 'a contest results folder, e.g. results/sr-x2-demo')
    .option(
      '--validator <ss58>',
      'the validator hotkey every entry must be signed by (default: podium.json /validator/hotkey)',
    )
    .option('--config <file>', "the repository's podium.json naming the validator", undefined)
    .option(
      '--endpoint <name|url>',
      "a Subtensor node (finney, test, local or ws(s)://…): each round's weights extrinsics must be sent by the validator; without --validator or podium.json, the latest one's sender is the validator",
    )
    .option('--head <sha256>', 'the entry hash the index must end with (a head seen earlier)')
    .option('--contests <dir>', 'contest folders for the score re-run', 'contests')
    .option('--no-score', 'skip the score re-run (the same as --skip score)')
    .option(
      '--skip <check>',
      `skip a check that cannot run here (${SKIPPABLE.join(', ')}); repeatable; reported as skipped`,
      repeatable,
      [] as string[],
    )
    .option(
      '--pending <round>',
      'a round the current run is writing: its score may lack an index entry; repeatable',
      repeatable,
      [] as string[],
    )
    .option('--json', 'print the report as JSON instead of lines')
    .option(
      '--pulse <pulse>',
      'a drand pulse (JSON file, or <round>:<signature>) to open timelocked commits with; repeatable',
      repeatable,
      [] as string[],
    )
    .action(async (results: string, flags: VerifyFlags) => {
      const info = await stat(results).catch(() => undefined);
      if (!info && (await isContest(flags.contests, basename(resolve(results))))) {
        console.log(nothingYet(results, 'does not exist yet'));
        return;
      }
      if (!info?.isDirectory()) throw new UsageError(`${results}: not a results folder`);
      const declared = await trustedValidator(flags.validator, flags.config);
      const trusted =
        flags.endpoint === undefined
          ? declared
          : await chainAnchor(results, flags.endpoint, declared);
      for (const round of flags.pending) {
        if (!ROUND_DIR.test(round))
          throw new UsageError(`--pending ${round}: not a round id (YYYY-MM-DD[-suffix])`);
      }
      const skip = skipped(flags);
      if (flags.head !== undefined && !/^[0-9a-f]{64}$/.test(flags.head)) {
        throw new UsageError(`--head must be 64 lower-case hex characters (got "${flags.head}")`);
      }
      const report = await verifyResults(results, {
        ...trusted,
        head: flags.head,
        pending: flags.pending,
        skip,
        scoreCheck: skip.includes('score') ? undefined : scoreRerun(flags.contests),
      });
      const audits = await timelockAudits(results, flags.pulse);
      const empty = report.ok && report.rounds.length === 0 && report.head === null;
      if (flags.json) console.log(JSON.stringify({ ...report, timelock: audits }, null, 2));
      else if (empty) console.log(nothingYet(results, 'holds no round yet'));
      else
        for (const line of [...formatReport(report), ...audits.map((a) => a.line)])
          console.log(line);
      if (!report.ok || audits.some((a) => !a.ok)) {
        throw new CliError(`${results}: verification failed`);
      }
    });
}

async function timelockAudits(results: string, pulses: readonly string[]) {
  if (pulses.length === 0) return [];
  return auditWithPulses(results, pulses).catch((err: unknown) => {
    if (err instanceof ChainError) throw new UsageError(err.message);
    throw err;
  });
}
