/**
 * `podium entry create` writes a signed entry file and prints the exact commitment to set;
 * `podium entry verify <file…>` runs every check that needs no network (the PR check adds the
 * URL probe and the chain).
 */
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { loadContest, type Contest } from '../contest/load.js';
import { loadContestArg } from './contest-arg.js';
import { ChainError } from '../chain/errors.js';
import { resolveEndpoint } from '../chain/connect.js';
import { isLocalEndpoint, loadKeypair } from '../chain/keys.js';
import { checkEntryFile, entryLocation, type Check } from '../entries/checks.js';
import { createEntry, EntryError } from '../entries/create.js';
import { CliError } from './errors.js';

/** Registers `entry create` and `entry verify` on the program. */
export function register(program: Command): void {
  const entry = program.command('entry').description("create and verify a miner's entry file");
  entry
    .command('create')
    .description('sign an entry for a model and write contests/<id>/entries/<hotkey>.json')
    .requiredOption(
      '--contest <dir|id>',
      'contest folder or id under contests/ (e.g. contests/sr-x2-demo or sr-x2-demo)',
    )
    .requiredOption('--model <file>', 'the model file to enter (its sha256 and size are signed)')
    .requiredOption('--url <url>', 'https:// URL validators download the model from')
    .option('--source <url>', 'public source repository (https://)')
    .option('--keyfile <file>', 'file holding the hotkey secret (default: env PODIUM_HOTKEY_SEED)')
    .action(async (opts: CreateOptions) => {
      for (const line of await runCreate(opts)) console.log(line);
    });
  entry
    .command('verify')
    .description('check entry files offline: place, schema, signature, contest, limits')
    .argument('<files...>', 'entry files')
    .option('--allow-file-url', 'accept file: model URLs (local demo); a PR needs https')
    .action(async (files: string[], opts: { allowFileUrl?: boolean }) => {
      const failed = await runVerify(files, opts.allowFileUrl === true, (l) => console.log(l));
      if (failed > 0) throw new CliError(`${failed} entry file(s) failed verification`);
    });
}

interface CreateOptions {
  contest: string;
  model: string;
  url: string;
  source?: string;
  keyfile?: string;
}

/** Creates the entry; returns the lines to print. Throws CliError with an actionable message. */
export async function runCreate(opts: CreateOptions): Promise<string[]> {
  const contest = await loadContestArg(opts.contest);
  const signer = await loadKeypair({
    ...(opts.keyfile !== undefined ? { keyfile: opts.keyfile } : {}),
    allowDev: localChain(contest.contest.chain.endpoint),
    warn: (line) => console.error(`warning: ${line}`),
  }).catch((err: unknown) => {
    throw err instanceof ChainError ? new CliError(err.message) : err;
  });
  try {
    const created = await createEntry({
      contest,
      modelFile: opts.model,
      url: opts.url,
      ...(opts.source !== undefined ? { source: opts.source } : {}),
      signer,
    });
    const { id } = contest.contest;
    const { sha256, url } = created.entry.model;
    const shown = relative(process.cwd(), created.file) || created.file;
    return [
      `wrote ${shown}`,
      `commitment: ${created.commitment}`,
      '',
      'next steps:',
      `  1. make sure ${url} serves exactly this file (${created.entry.model.bytes} bytes)` +
        (url.startsWith('https://') ? '' : ' — a PR needs an https:// URL'),
      `  2. commit it on chain:  npx podium commit --contest ${id} --sha256 ${sha256}`,
      `  3. check the file:      npx podium entry verify ${shown}`,
      `  4. open a pull request that adds only ${shown}`,
    ];
  } catch (err) {
    if (err instanceof EntryError) throw new CliError(err.message);
    throw err;
  }
}

/** True when the contest's chain endpoint resolves to this machine (dev keys may sign for it). */
function localChain(endpoint: string): boolean {
  try {
    return isLocalEndpoint(resolveEndpoint(endpoint));
  } catch {
    return false;
  }
}

const MARK: Record<Check['status'], string> = {
  pass: 'ok  ',
  fail: 'FAIL',
  warn: 'warn',
  skip: 'skip',
};

/**
 * Verifies each file offline, printing one line per check through `log`. Returns the number
 * of files with a failed check.
 */
export async function runVerify(
  files: string[],
  allowFileUrls: boolean,
  log: (line: string) => void,
): Promise<number> {
  let failed = 0;
  for (const file of files) {
    const absolute = resolve(file);
    const shown = relative(process.cwd(), absolute) || absolute;
    const bytes = await readFile(absolute).catch((err: NodeJS.ErrnoException) => {
      throw new CliError(`${file}: cannot read (${err.code ?? err.message})`);
    });
    const contest = entryLocation(absolute) ? await contestOf(absolute) : null;
    const path = entryLocation(shown) ? shown : absolute;
    const report = checkEntryFile({ path, bytes, contest, now: new Date(), allowFileUrls });
    log(shown);
    for (const check of report.checks) {
      log(`  ${MARK[check.status]} ${check.id}: ${check.detail.replaceAll('\n', '\n         ')}`);
      if (check.fix !== undefined && check.status !== 'pass') log(`       fix: ${check.fix}`);
    }
    log(
      '  skip url-reachable, registration, commitment: need the network (the PR check does them)',
    );
    if (report.checks.some((c) => c.status === 'fail')) failed += 1;
  }
  return failed;
}

async function contestOf(entryFile: string): Promise<Contest | null> {
  try {
    return (await loadContest(dirname(dirname(entryFile)))).contest;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err; // a contest.json that does not validate: say so rather than "no contest"
  }
}
