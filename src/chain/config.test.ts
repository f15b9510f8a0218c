import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINTS, resolveEndpoint } from './connect.js';
import { mergePatch } from './genesis.js';
import { chainSpecPath, loadChainSpec, SUBTENSOR_SPEC_SHA256 } from './spec.js';

describe('endpoint resolution', () => {
  it('resolves a contest endpoint name through the environment, the config table, then defaults', () => {
    expect(resolveEndpoint('local', { env: {} })).toBe(DEFAULT_ENDPOINTS.local);
    expect(
      resolveEndpoint('my-node', { env: {}, endpoints: { 'my-node': 'wss://n.example:443' } }),
    ).toBe('wss://n.example:443');
    expect(
      resolveEndpoint('my-node', { env: { PODIUM_CHAIN_ENDPOINT_MY_NODE: 'ws://10.0.0.2:9944' } }),
    ).toBe('ws://10.0.0.2:9944');
    expect(resolveEndpoint('finney', { env: { PODIUM_CHAIN_ENDPOINT: 'ws://127.0.0.1:1' } })).toBe(
      'ws://127.0.0.1:1',
    );
  });

  it('names the variable to set for an unknown endpoint and refuses a URL that is not ws', () => {
    expect(() => resolveEndpoint('archive', { env: {} })).toThrow(
      /PODIUM_CHAIN_ENDPOINT_ARCHIVE=wss:/,
    );
    expect(() => resolveEndpoint('finney', { env: { PODIUM_CHAIN_ENDPOINT: 'http://x' } })).toThrow(
      /PODIUM_CHAIN_ENDPOINT must be a ws/,
    );
  });

  it("never sends a demo contest's `local` endpoint to the validator's node (PODIUM_CHAIN_ENDPOINT)", () => {
    const env = { PODIUM_CHAIN_ENDPOINT: 'wss://validator-node.example:443' };
    expect(resolveEndpoint('local', { env })).toBe('ws://127.0.0.1:9944');
    expect(
      resolveEndpoint('local', {
        env: { ...env, PODIUM_CHAIN_ENDPOINT_LOCAL: 'ws://127.0.0.1:9955' },
      }),
    ).toBe('ws://127.0.0.1:9955');
  });
});

describe('chain spec and genesis', () => {
  it('finds the pinned spec and verifies its sha256', async () => {
    const loaded = await loadChainSpec(chainSpecPath({}));
    expect(loaded.sha256).toBe(SUBTENSOR_SPEC_SHA256);
    expect(loaded.spec.genesis.runtimeGenesis.code.startsWith('0x')).toBe(true);
  });

  it('refuses a spec whose sha256 differs, naming both hashes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'podium-spec-'));
    const path = join(dir, 'spec.json');
    await writeFile(path, '{"genesis":{}}');
    await expect(loadChainSpec(path)).rejects.toThrow(
      new RegExp(`expected ${SUBTENSOR_SPEC_SHA256}`),
    );
    await rm(dir, { recursive: true });
    await expect(loadChainSpec(join(dir, 'gone.json'))).rejects.toThrow(/PODIUM_CHAIN_SPEC/);
  });

  it('merges the spec patch into the runtime preset as a JSON merge patch', () => {
    const preset = {
      balances: { balances: [] },
      sudo: { key: null },
      aura: { authorities: [] },
      keep: 1,
    };
    const patch = { balances: { balances: [['a', 1]] }, sudo: { key: 'alice' }, keep: null };
    expect(mergePatch(preset, patch)).toEqual({
      balances: { balances: [['a', 1]] },
      sudo: { key: 'alice' },
      aura: { authorities: [] },
    });
  });
});
