/**
 * `npm run bench:agreement`: do two independent validators agree on the same round? The demo
 * runs once (local chain, every demo contest collected at one cutoff block and frozen in its
 * round.json); then two benchmark runs of those frozen rounds, each in its own process, its own
 * workspace and artifact cache (PODIUM_CACHE_DIR), under different runner names, run through
 * actions/benchmark and actions/score one after the other; then `podium compare` compares
 * them contest by contest and this prints the agreement figures. Where agreement is not
 * 100 %, compare's lines say what separates the two and which setting would close it.
 *
 * `--load N` keeps N CPU-bound competitor processes running during the two validator runs only
 * (the measurement), not during the demo's chain setup, whose inclusion waits are not what
 * this measures; `npm run with-load -- npm run bench:agreement` loads the whole run instead.
 * `--keep <dir>` copies both results trees (round.json, bench files, score.json) to `<dir>/a`
 * and `<dir>/b`. Exit 0 whatever the agreement (it is a measurement), 1 when a step fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, readdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { prepareWorkspace, runAction, succeeded } from '../src/github/local-runner.js';
import { isMain } from '../src/cli/is-main.js';
import { modelsDir } from '../src/models/build.js';
import { REPO_ROOT } from '../src/version.js';

const ROOT = join(REPO_ROOT, '.cache', 'agreement');
const RUNNERS = { a: 'agreement-a', b: 'agreement-b' } as const;
type Side = keyof typeof RUNNERS;

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

/** Child process: one validator's benchmark + score of every frozen demo round. */
async function benchSide(side: Side): Promise<void> {
  const demo = join(ROOT, 'demo', 'workspace');
  const root = join(ROOT, side);
  await rm(root, { recursive: true, force: true });
  const workspace = await prepareWorkspace(join(root, 'workspace'));
  await cp(join(demo, 'contests'), join(workspace, 'contests'), { recursive: true });
  // Its own caches: artifacts, bench worker; the models folder holds the miners' inputs, linked.
  const cache = join(root, 'cache');
  await mkdir(cache, { recursive: true });
  await symlink(modelsDir(), join(cache, 'models'), 'dir');
  const env = { RUNNER_NAME: RUNNERS[side], PODIUM_CACHE_DIR: cache };
  for (const contest of (await readdir(join(demo, 'results'))).sort()) {
    const rounds = (await readdir(join(demo, 'results', contest), { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    for (const round of rounds) {
      const dir = join(workspace, 'results', contest, round);
      await mkdir(dir, { recursive: true });
      await cp(join(demo, 'results', contest, round, 'round.json'), join(dir, 'round.json'));
      const temp = join(root, 'temp', contest);
      const out = join(temp, 'bench-out');
      const started = Date.now();
      succeeded(
        `actions/benchmark ${contest}`,
        await runAction(
          'benchmark',
          { contest: `contests/${contest}`, round: join(dir, 'round.json'), out },
          { workspace, temp, env },
        ),
      );
      await cp(join(out, 'bench'), join(dir, 'bench'), { recursive: true });
      succeeded(
        `actions/score ${contest}`,
        await runAction('score', { round: dir }, { workspace, temp, env }),
      );
      console.log(
        `${side}: ${contest} ${round} benchmarked and scored on ${RUNNERS[side]} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }
  }
}

interface Figures {
  contest: string;
  rounds: {
    round: string;
    frozen: string[];
    pairs: { total: number; same: number; share: number | null };
    verdicts: unknown[];
    l1: number;
    vtrust: number;
    beyondNoise: string[];
  }[];
}

async function main(argv: string[]): Promise<number> {
  const keep = argv.includes('--keep') ? argv[argv.indexOf('--keep') + 1] : undefined;
  const load = argv.includes('--load') ? Number(argv[argv.indexOf('--load') + 1]) : 0;
  if (!Number.isInteger(load) || load < 0)
    throw new Error(`--load must be an integer ≥ 0 (got ${load})`);
  const started = Date.now();
  await rm(ROOT, { recursive: true, force: true });
  await mkdir(ROOT, { recursive: true });
  console.log('1/4 the demo: one frozen round per demo contest on the local chain');
  const demo = await run(['bench/agreement.ts', '--demo']);
  if (demo.code !== 0) throw new Error(`the demo failed:\n${demo.out.slice(-4000)}`);
  const competitors: ChildProcess[] = Array.from({ length: load }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  const stop = () => competitors.forEach((c) => c.exitCode === null && c.kill('SIGKILL'));
  if (load > 0) console.log(`    ${load} competing CPU-bound processes during both validator runs`);
  try {
    for (const side of ['a', 'b'] as const) {
      console.log(
        `${side === 'a' ? 2 : 3}/4 validator ${side.toUpperCase()}: its own process, workspace and caches, runner ${RUNNERS[side]}`,
      );
      const r = await run(['bench/agreement.ts', '--side', side]);
      process.stdout.write(r.out);
      if (r.code !== 0) throw new Error(`validator ${side} failed`);
    }
  } finally {
    stop();
  }
  console.log('4/4 podium compare, contest by contest\n');
  const contests = (await readdir(join(ROOT, 'a', 'workspace', 'results'))).sort();
  const summary: string[] = [];
  for (const contest of contests) {
    const paths = (['a', 'b'] as const).map((s) => join(ROOT, s, 'workspace', 'results', contest));
    const text = await run(['src/cli/main.ts', 'compare', ...paths]);
    process.stdout.write(`${text.out}(podium compare exit ${text.code})\n\n`);
    const json = await run(['src/cli/main.ts', 'compare', ...paths, '--json']);
    const figures = JSON.parse(json.out) as Figures;
    for (const r of figures.rounds) {
      const share = r.pairs.share === null ? 'n/a' : `${(r.pairs.share * 100).toFixed(1)} %`;
      summary.push(
        `${contest.padEnd(16)} ${r.round}  frozen same: ${r.frozen.length === 0 ? 'yes' : 'no '}  ` +
          `pairs same: ${r.pairs.same}/${r.pairs.total} (${share})  verdicts differ: ${r.verdicts.length}  ` +
          `L1: ${r.l1}  vtrust: ${r.vtrust}  weights identical: ${r.l1 === 0 ? 'yes' : 'no'}  ` +
          `beyond noise: ${r.beyondNoise.length === 0 ? 'no' : 'YES'}`,
      );
    }
  }
  console.log(
    `Agreement (A = agreement-a, B = agreement-b; ${load} competing processes during the runs; target: 100 % of non-tied pairs, identical weights)`,
  );
  for (const line of summary) console.log(`  ${line}`);
  console.log(`\nbench:agreement finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (keep) {
    for (const s of ['a', 'b'] as const) {
      await cp(join(ROOT, s, 'workspace', 'results'), join(keep, s), { recursive: true });
    }
    console.log(`kept both results trees in ${keep}/a and ${keep}/b`);
  }
  return 0;
}

if (isMain(import.meta.url)) {
  const argv = process.argv.slice(2);
  try {
    if (argv[0] === '--demo') {
      const { runDemo } = await import('../src/demo/main.js');
      await runDemo(join(ROOT, 'demo'));
    } else if (argv[0] === '--side') {
      await benchSide(argv[1] === 'b' ? 'b' : 'a');
    } else {
      process.exitCode = await main(argv);
    }
  } catch (err) {
    console.error(`bench:agreement failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
