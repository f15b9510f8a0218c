/**
 * `podium bench --contest <dir|id> --model <file|url>`: a miner's local run of exactly the code a
 * validator runs, printing load time, p50/p90, the speed ratio against the baseline with its
 * interval, fidelity, and the verdict scoring would give (earns / valid but not faster beyond
 * the noise floor / invalid: reason), computed by scoreRound on the two bench documents.
 * `--other-device` measures on this machine's device when it is not the contest's; every
 * figure is then labelled not comparable and no bench file is written. Exit 0 when podium ran
 * (whatever the verdict), 1 when it could not run, 2 on bad arguments.
 */
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BenchError, ModelRejection } from '../bench/errors.js';
import { benchmarkLocal, type OtherDevice } from '../bench/local.js';
import { reasonLines, reportRows, runHeader, textTable, type ReportRow } from '../bench/report.js';
import { loadContest } from '../contest/load.js';
import { writeDocument } from '../json/file.js';
import { localVerdict, type LocalVerdict } from '../score/local.js';
import { contestPath } from './contest-arg.js';
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
  otherDevice?: boolean;
}

/** The words every figure measured on another device carries. */
export const NOT_COMPARABLE = 'not comparable: other device';

/** Registers `bench` on the program. */
export function register(program: Command): void {
  program
    .command('bench')
    .description(
      'benchmark a model against a contest baseline, isolated and offline, as validators do',
    )
    .requiredOption(
      '--contest <dir|id>',
      'contest folder or id under contests/ (e.g. contests/sr-x2-demo or sr-x2-demo)',
    )
    .requiredOption('--model <file|url>', 'ONNX model: a path, a file: URL or an https: URL')
    .option(
      '--allow-network',
      'run models without network isolation (local development only; recorded)',
    )
    .option('--seed <hex>', 'round seed (0x + 64 hex) to repeat a run; default random')
    .option('--out <dir>', 'also write baseline.json and submission.json bench files there')
    .option('--ca <pem>', 'extra trusted CA certificate for https downloads')
    .option('--quiet', 'no progress lines on stderr')
    .option(
      '--other-device',
      "measure on this machine's device when it is not the contest's runner.device (figures are labelled not comparable; no bench file is written)",
    )
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
  if (flags.otherDevice && flags.out !== undefined) {
    throw new UsageError(
      '--out cannot be used with --other-device: figures from another device are not comparable, ' +
        'so podium writes no bench file a validator could take for its own',
    );
  }
  const log = flags.quiet
    ? () => undefined
    : (line: string) => console.error(`podium bench: ${line}`);
  const ca = flags.ca
    ? await readFile(flags.ca).catch((err: NodeJS.ErrnoException) => {
        throw new CliError(
          `--ca ${flags.ca}: cannot read it (${err.code ?? err.message}); give the PEM file of ` +
            "the certificate authority that signed the model server's certificate",
        );
      })
    : undefined;
  let lastShown = 0;
  const contestDir = await contestPath(flags.contest);
  const contest = (await loadContest(contestDir)).contest;
  let result;
  try {
    result = await benchmarkLocal(contestDir, flags.model, {
      allowNetwork: flags.allowNetwork === true,
      otherDevice: flags.otherDevice === true,
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
    if (err instanceof BenchError && err.code === 'device-mismatch') {
      throw new CliError(
        `podium bench: ${err.message}; to measure on this machine anyway, add --other-device ` +
          `(figures are then labelled "${NOT_COMPARABLE}")`,
      );
    }
    if (err instanceof BenchError || err instanceof ModelRejection)
      throw new CliError(`podium bench: ${err.message}`);
    throw err;
  }
  const [baseline, submission] = result.documents;
  const names = ['baseline', flags.model];
  const other = result.otherDevice;
  const verdict = localVerdict(contest, baseline, submission);
  console.log(runHeader(baseline));
  if (other) console.log(otherDeviceLine(other));
  console.log('');
  const options = {
    resamples: contest.scoring.bootstrapResamples,
    confidence: contest.scoring.confidence,
    names,
  };
  const rows = reportRows(result.documents, options).map((row, i) => ({
    ...(other ? labelFigures(row) : row),
    result: i === 0 ? 'reference' : RESULT[verdict.kind],
  }));
  console.log(textTable(rows));
  console.log(
    '\nspeed vs baseline: Σ baseline / Σ model over samples paired by (block, input), > 1 is ' +
      'faster; interval: paired bootstrap, as score.json computes it',
  );
  const reasons = reasonLines(result.documents, names);
  if (reasons.length > 0) console.log(['', ...reasons].join('\n'));
  console.log(`\nverdict${other ? ` (${NOT_COMPARABLE})` : ''}: ${verdict.line}`);
  if (flags.out) {
    await writeDocument(join(flags.out, 'baseline.json'), BenchSchema, baseline);
    await writeDocument(join(flags.out, 'submission.json'), BenchSchema, submission);
    log(`wrote ${join(flags.out, 'baseline.json')} and ${join(flags.out, 'submission.json')}`);
  }
}

const RESULT: Record<LocalVerdict['kind'], string> = {
  earns: 'earns',
  'no-gain': 'valid, no gain beyond noise',
  invalid: 'invalid',
};

function labelFigures(row: ReportRow): ReportRow {
  const mark = (cell: string) =>
    cell === '—' || cell === '1 (reference)' ? cell : `${cell} (${NOT_COMPARABLE})`;
  return {
    ...row,
    loadMs: mark(row.loadMs),
    firstMs: mark(row.firstMs),
    p50Ms: mark(row.p50Ms),
    p90Ms: mark(row.p90Ms),
    speed: mark(row.speed),
  };
}

function otherDeviceLine(o: OtherDevice): string {
  return (
    `${NOT_COMPARABLE}: measured on "${o.device}" with the ${o.executionProvider} EP; the contest ` +
    `measures on "${o.required}" with ${o.requiredProvider} (--other-device): these figures do not ` +
    "predict a validator's, and no bench file is written"
  );
}
