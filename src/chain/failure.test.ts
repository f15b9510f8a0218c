import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ApiPromise } from '@polkadot/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChain } from './connect.js';
import { findCutoffBlock } from './cutoff.js';
import { devKeypair, devNewBlock } from './dev.js';
import { ChainError } from './errors.js';
import type { LocalSubnet } from './local-subnet.js';
import { publishWeights } from './publish.js';

// The node runs in its own process (npm run chain:local's entry) so the test can kill it -9.
const MAIN = fileURLToPath(new URL('./local-main.ts', import.meta.url));
let node: ChildProcess;
let ready: LocalSubnet & { endpoint: string };
let api: ApiPromise;

beforeAll(async () => {
  node = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN, '--port', '0', '--miners', '2', '--json'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: node.stdout! });
  ready = await new Promise((resolve, reject) => {
    lines.once('line', (line) => resolve(JSON.parse(line) as typeof ready));
    node.once('exit', (code) => reject(new Error(`local chain exited with ${code}`)));
  });
  api = await connectChain(ready.endpoint);
  await devNewBlock(api, 3);
});
afterAll(async () => {
  await api?.disconnect().catch(() => undefined);
  if (node && node.exitCode === null) node.kill('SIGKILL');
});

describe('failures', () => {
  it('gives up on an unreachable endpoint after the bounded attempts, naming it', async () => {
    const started = Date.now();
    const err = await connectChain('ws://127.0.0.1:9', { attempts: 3, backoffMs: 50 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ChainError);
    expect((err as ChainError).code).toBe('unreachable');
    expect((err as ChainError).message).toMatch(
      /cannot reach the chain at ws:\/\/127\.0\.0\.1:9 after 3 attempts/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails cleanly when the node is killed mid-publish, then refuses reads after bounded retries', async () => {
    const validator = devKeypair(ready.validator.path);
    const weights = { [ready.miners[0]!.hotkey]: 1, [ready.miners[1]!.hotkey]: 1 };
    const started = Date.now();
    const err = await publishWeights(api, validator, ready.netuid, weights, {
      versionKey: 100,
      onSubmitted: () => node.kill('SIGKILL'),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainError);
    expect(['disconnected', 'timeout']).toContain((err as ChainError).code);
    expect((err as ChainError).message).toMatch(/may or may not be included|lost the connection/);
    const read = await findCutoffBlock(api, Date.now()).catch((e: unknown) => e);
    expect(read).toBeInstanceOf(ChainError);
    expect((read as ChainError).message).toMatch(
      /lost the connection to the chain and 3 attempts failed/,
    );
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
