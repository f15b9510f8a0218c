/**
 * Test helper: runs a `podium` chain command (src/cli/chain.ts) in this process against a local
 * chain, as the dev validator, and returns everything it printed. Environment stubs and console
 * spies are restored whatever happens, so a failing command leaves no state behind.
 */
import { Command } from 'commander';
import { vi } from 'vitest';
import { DEV_PATHS } from '../chain/dev.js';
import { register } from './chain.js';

/** Runs `args` with the validator's dev key and `endpoint` as the `local` chain; returns the lines. */
export async function runChainCommand(args: readonly string[], endpoint: string): Promise<string> {
  vi.stubEnv('PODIUM_HOTKEY_SEED', DEV_PATHS.validator);
  vi.stubEnv('PODIUM_CHAIN_ENDPOINT_LOCAL', endpoint);
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((l: string) => void out.push(l));
  const err = vi.spyOn(console, 'error').mockImplementation((l: string) => void out.push(l));
  try {
    const program = new Command().exitOverride();
    register(program);
    await program.parseAsync([...args], { from: 'user' });
  } finally {
    log.mockRestore();
    err.mockRestore();
    vi.unstubAllEnvs();
  }
  return out.join('\n');
}
