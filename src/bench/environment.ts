/**
 * The runner's environment, recorded in every bench file, and the device check that runs
 * before anything else: a job on the wrong hardware fails before it measures anything.
 *
 * Device matching: for a `cuda` contest the GPU CUDA will use (CUDA_VISIBLE_DEVICES, else the
 * first) must have exactly the contest's device name as nvidia-smi reports it, and
 * onnxruntime-node must have its CUDA provider installed. For a `cpu` contest the device
 * `"cpu"` matches any CPU (demo and test contests, where ratios are only ever taken against
 * the baseline measured on the same runner); any other value must equal the CPU model name
 * (`/proc/cpuinfo` "model name", whitespace collapsed) exactly.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, availableParallelism, cpus, release, type } from 'node:os';
import { dirname, join } from 'node:path';
import type { Contest } from '../contest/load.js';
import { PODIUM_VERSION, podiumCommit } from '../version.js';
import { BenchError } from './errors.js';
import { listGpus, selectedGpu, type GpuInfo } from './gpu.js';
import type { BenchDocument } from '../documents/bench.js';

/** The environment block of a bench file. */
export type Environment = BenchDocument['environment'];

/** The runner as the checks found it; `gpu` is null on CPU runners. */
export interface Runner {
  readonly environment: Environment;
  readonly gpu: GpuInfo | null;
}

const require = createRequire(import.meta.url);

/** The installed onnxruntime-node version. */
export function onnxruntimeVersion(): string {
  return (require('onnxruntime-node/package.json') as { version: string }).version;
}

/** The CPU model name with whitespace collapsed. */
export function cpuName(): string {
  return (cpus()[0]?.model ?? 'unknown').replace(/\s+/g, ' ').trim();
}

/**
 * Checks that this machine is the contest's device and returns its environment record.
 * Throws BenchError('device-mismatch') naming what was required and what was found.
 */
export async function checkRunner(
  contest: Contest,
  isolation: 'netns' | 'none',
  env: NodeJS.ProcessEnv = process.env,
): Promise<Runner> {
  const required = contest.runner.device;
  const base = {
    cpu: cpuName(),
    cores: availableParallelism(),
    os: `${type()} ${release()} ${arch()}`,
    node: process.version,
    onnxruntime: onnxruntimeVersion(),
    podiumVersion: PODIUM_VERSION,
    podiumCommit: podiumCommit(),
    isolation,
  };
  if (contest.runner.executionProvider === 'cpu') {
    if (required !== 'cpu' && required !== base.cpu) {
      throw new BenchError(
        'device-mismatch',
        `contest ${contest.id} requires CPU "${required}", this runner has "${base.cpu}"`,
      );
    }
    return { environment: { ...base, device: base.cpu, driver: null }, gpu: null };
  }
  const gpu = await cudaDevice(contest, env);
  return { environment: { ...base, device: gpu.name, driver: gpu.driver }, gpu };
}

async function cudaDevice(contest: Contest, env: NodeJS.ProcessEnv): Promise<GpuInfo> {
  const required = contest.runner.device;
  const gpus = await listGpus();
  if (gpus === null || gpus.length === 0) {
    throw new BenchError(
      'device-mismatch',
      `contest ${contest.id} requires "${required}" (CUDA) but no NVIDIA GPU is available ` +
        '(nvidia-smi not found or lists no GPU)',
    );
  }
  const gpu = selectedGpu(gpus, env.CUDA_VISIBLE_DEVICES);
  if (!gpu || gpu.name !== required) {
    const found = gpus.map((g) => `${g.index}: ${g.name}`).join(', ');
    throw new BenchError(
      'device-mismatch',
      `contest ${contest.id} requires "${required}", CUDA would use ${gpu ? `"${gpu.name}"` : 'no GPU'} (found ${found})`,
    );
  }
  if (!cudaProviderInstalled()) {
    throw new BenchError(
      'device-mismatch',
      'onnxruntime-node has no CUDA execution provider installed; reinstall it with ' +
        'ONNXRUNTIME_NODE_INSTALL=cuda12 on the GPU runner',
    );
  }
  return gpu;
}

function cudaProviderInstalled(): boolean {
  const root = dirname(require.resolve('onnxruntime-node/package.json'));
  const bin = join(root, 'bin', 'napi-v6', process.platform, process.arch);
  return existsSync(join(bin, 'libonnxruntime_providers_cuda.so'));
}
