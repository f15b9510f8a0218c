/**
 * `podium doctor [--contest <dir>]`: checks that this machine can run podium's benchmark —
 * Node, onnxruntime and its CUDA provider, the GPU and driver (nvidia-smi), and network
 * isolation for real (an isolated child must fail to reach a listener this process holds).
 * With a contest, also the device and execution provider it requires. Exit 1 when a required
 * check fails.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Child } from '../bench/child/child.js';
import { checkRunner, onnxruntimeVersion } from '../bench/environment.js';
import { listGpus } from '../bench/gpu.js';
import { loadContestArg } from './contest-arg.js';
import { CliError } from './errors.js';

/** One line of the report: ok, failed (required), or information. */
export interface Check {
  readonly name: string;
  readonly status: 'ok' | 'fail' | 'info';
  readonly detail: string;
}

const require = createRequire(import.meta.url);

/** True when onnxruntime-node's CUDA provider library was installed (ONNXRUNTIME_NODE_INSTALL=cuda12). */
export function cudaProviderInstalled(): boolean {
  const root = dirname(require.resolve('onnxruntime-node/package.json'));
  return existsSync(
    join(
      root,
      'bin',
      'napi-v6',
      process.platform,
      process.arch,
      'libonnxruntime_providers_cuda.so',
    ),
  );
}

async function isolationCheck(): Promise<Check> {
  try {
    const child = await Child.start({ isolation: 'netns', memoryLimitBytes: 2 ** 30 });
    const ms = child.startMs;
    await child.close();
    return {
      name: 'network isolation',
      status: 'ok',
      detail: `unshare -rn works; the sandboxed child failed to reach every host address (start ${ms.toFixed(0)} ms)`,
    };
  } catch (err) {
    return { name: 'network isolation', status: 'fail', detail: (err as Error).message };
  }
}

/** Runs every check; `contestDir` adds the contest's device and provider requirements. */
export async function runChecks(contestDir?: string): Promise<Check[]> {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const checks: Check[] = [
    {
      name: 'node',
      status: major > 20 || (major === 20 && minor >= 19) ? 'ok' : 'fail',
      detail: `${process.version} (podium needs >= 20.19)`,
    },
    { name: 'onnxruntime-node', status: 'ok', detail: onnxruntimeVersion() },
    {
      name: 'CUDA provider',
      status: 'info',
      detail: cudaProviderInstalled()
        ? 'installed'
        : 'not installed: CPU only (GPU runners install with ONNXRUNTIME_NODE_INSTALL=cuda12 npm ci)',
    },
  ];
  const gpus = await listGpus();
  checks.push({
    name: 'GPU',
    status: 'info',
    detail:
      gpus === null || gpus.length === 0
        ? 'no nvidia-smi or no GPU: GPU memory and energy will be null in bench files'
        : gpus.map((g) => `${g.name} (driver ${g.driver})`).join('; '),
  });
  checks.push(await isolationCheck());
  if (contestDir) {
    const { contest } = await loadContestArg(contestDir);
    try {
      const runner = await checkRunner(contest, 'netns');
      checks.push({
        name: `contest ${contest.id} device`,
        status: 'ok',
        detail: `${runner.environment.device} matches "${contest.runner.device}"`,
      });
    } catch (err) {
      checks.push({
        name: `contest ${contest.id} device`,
        status: 'fail',
        detail: (err as Error).message,
      });
    }
    if (contest.runner.executionProvider === 'cuda' && !cudaProviderInstalled()) {
      checks.push({
        name: `contest ${contest.id} provider`,
        status: 'fail',
        detail: 'the contest runs on CUDA but the CUDA provider is not installed',
      });
    }
  }
  return checks;
}

/** Registers `doctor` on the program. */
export function register(program: Command): void {
  program
    .command('doctor')
    .description('check this machine can benchmark: onnxruntime, CUDA, GPU, network isolation')
    .option(
      '--contest <dir|id>',
      'also check the device and provider this contest requires (folder or id under contests/)',
    )
    .action(async (options: { contest?: string }) => {
      const checks = await runChecks(options.contest);
      for (const c of checks)
        console.log(`${c.status.padEnd(4)}  ${c.name.padEnd(28)} ${c.detail}`);
      const failed = checks.filter((c) => c.status === 'fail');
      if (failed.length > 0) throw new CliError(`${failed.length} required check(s) failed`);
    });
}
