/**
 * `podium bench --contest <dir> --model <file|url>`: a miner's local run of exactly the code a
 * validator runs, printing load time, p50/p90, the speed ratio against the baseline with its
 * interval, fidelity, and pass/fail with reasons. Exit 0 when the model would be valid, 1 when
 * not, 2 on bad arguments.
 */
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BenchError, ModelRejection } from '../bench/errors.js';
import { benchmarkLocal } from '../bench/local.js';
import { reasonLines, reportRows, runHeader, textTable } from '../bench/report.js';
import { loadContest } from '../contest/load.js';
import { writeDocument } from '../json/file.js';
import { CliError, UsageError } from './errors.js';
import { BenchSchema } from '../documents/bench.js';

interface BenchFlags {
  contest: string;
  model: string;
  allowNetwork?: boolean;
  seed?: string;
  out?: string;
  ca?: string;
  quiet?: boolean;
}

/** Registers `bench` on the program. */
export function register(program: Command): void {
  program
    .command('bench')
    .description(
      'benchmark a model against a contest baseline, isolated and offline, as validators do',
    )
    .requiredOption('--contest <dir>', 'contest folder (or its contest.json)')
    .requiredOption('--model <file|url>', 'ONNX model: a path, a file: URL or an https: URL')
    .option(
      '--allow-network',
      'run models without network isolation (local development only; recorded)',
    )
    .option('--seed <hex>', 'round seed (0x + 64 hex) to repeat a run; default random')
    .option('--out <dir>', 'also write baseline.json and submission.json bench files there')
    .option('--ca <pem>', 'extra trusted CA certificate for https downloads')
    .option('--quiet', 'no progress lines on stderr')
    .action(async (flags: BenchFlags) => {
      await runBench(flags);
    });
}

async function runBench(flags: BenchFlags): Promise<void> {
  if (flags.seed !== undefined && !/^0x[0-9a-f]{64}$/.test(flags.seed)) {
    throw new UsageError(
      `--seed must be 0x followed by 64 lower-case hex digits (got "${flags.seed}")`,
    );
  }
  const log = flags.quiet
    ? () => undefined
    : (line: string) => console.error(`podium bench: ${line}`);
  const ca = flags.ca ? await readFile(flags.ca) : undefined;
  let lastShown = 0;
  const contest = (await loadContest(flags.contest)).contest;
  let result;
  try {
    result = await benchmarkLocal(flags.contest, flags.model, {
      allowNetwork: flags.allowNetwork === true,
      log,
      ...(flags.seed ? { seed: flags.seed } : {}),
      ...(ca ? { ca } : {}),
      onProgress: (p) => {
        if (flags.quiet || p.total < 1 << 20 || p.received - lastShown < 1 << 22) return;
        lastShown = p.received;
        log(
          `downloaded ${(p.received / 2 ** 20).toFixed(1)} MiB of at most ${(p.total / 2 ** 20).toFixed(1)} MiB`,
        );
      },
    });
  } catch (err) {
    if (err instanceof BenchError || err instanceof ModelRejection)
      throw new CliError(`podium bench: ${err.message}`);
    throw err;
  }
  const [baseline, submission] = result.documents;
  const names = ['baseline', flags.model];
  console.log(runHeader(baseline));
  console.log('');
  const options = {
    resamples: contest.scoring.bootstrapResamples,
    confidence: contest.scoring.confidence,
    names,
  };
  console.log(textTable(reportRows(result.documents, options)));
  console.log(
    '\nspeed vs baseline: Σ baseline / Σ model over samples paired by (block, input), > 1 is ' +
      'faster; interval: paired bootstrap, as score.json computes it',
  );
  const reasons = reasonLines(result.documents, names);
  if (reasons.length > 0) console.log(['', ...reasons].join('\n'));
  if (flags.out) {
    await writeDocument(join(flags.out, 'baseline.json'), BenchSchema, baseline);
    await writeDocument(join(flags.out, 'submission.json'), BenchSchema, submission);
    log(`wrote ${join(flags.out, 'baseline.json')} and ${join(flags.out, 'submission.json')}`);
  }
  if (!submission.valid) {
    throw new CliError(
      `podium bench: the model would be invalid in ${contest.id} (see reasons above)`,
    );
  }
}
