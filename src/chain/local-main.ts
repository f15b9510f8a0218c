/**
 * `npm run chain:local [-- --port 9944 --miners 3 --json --commit-reveal --tempo 10]`: boots the local Subtensor chain,
 * creates a subnet with a validator and miner hotkeys (development keys, see src/chain/dev.ts),
 * prints the endpoint, netuid and accounts, and serves until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { connectChain } from './connect.js';
import { DEV_PATHS } from './dev.js';
import { ChainError } from './errors.js';
import { startLocalChain } from './local.js';
import { setupSubnet, type LocalSubnet } from './local-subnet.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9944' },
      miners: { type: 'string', default: '3' },
      json: { type: 'boolean', default: false },
      'commit-reveal': { type: 'boolean', default: false },
      tempo: { type: 'string' },
    },
  });
  const tempo = values.tempo === undefined ? undefined : Number(values.tempo);
  if (tempo !== undefined && (!Number.isInteger(tempo) || tempo < 1 || tempo > 65535)) {
    throw new ChainError('input', `--tempo must be an integer 1..65535 (got "${values.tempo}")`);
  }
  const port = Number(values.port);
  const miners = Number(values.miners);
  if (!Number.isInteger(port) || port < 0 || !Number.isInteger(miners) || miners < 0) {
    throw new ChainError('input', '--port and --miners must be non-negative integers');
  }
  const started = Date.now();
  const chain = await startLocalChain({ port });
  const api = await connectChain(chain.endpoint);
  // --commit-reveal turns it on; without it the subnet says off explicitly (newer runtimes
  // default to on), so both modes are the flag's choice
  const subnet = await setupSubnet(api, {
    miners,
    commitReveal: values['commit-reveal'],
    ...(tempo === undefined ? {} : { tempo }),
  });
  await api.disconnect();
  const report = {
    endpoint: chain.endpoint,
    port: chain.port,
    sudo: DEV_PATHS.sudo,
    ...subnet,
  };
  if (values.json) console.log(JSON.stringify({ ...report, readyMs: Date.now() - started }));
  else print(chain.endpoint, subnet, chain.timings, Date.now() - started);
  const stop = () => {
    void chain.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function print(
  endpoint: string,
  subnet: LocalSubnet,
  timings: { genesisMs: number; bootMs: number },
  totalMs: number,
) {
  const lines = [
    `podium local chain (Subtensor runtime, chopsticks) at ${endpoint}`,
    `  netuid ${subnet.netuid}; owner/sudo coldkey ${DEV_PATHS.sudo} ${subnet.ownerColdkey}`,
    `  validator uid ${subnet.validator.uid} ${subnet.validator.hotkey}  ${subnet.validator.path}`,
    ...subnet.miners.map((m) => `  miner     uid ${m.uid} ${m.hotkey}  ${m.path}`),
    `  ready in ${totalMs} ms (genesis ${timings.genesisMs} ms, boot ${timings.bootMs} ms); ` +
      'endpoint name "local" resolves here when the port is 9944',
    '  development keys only: anyone knows these secrets. Ctrl-C stops the chain.',
  ];
  console.log(lines.join('\n'));
}

main().catch((err: unknown) => {
  console.error(err instanceof ChainError ? `podium chain:local: ${err.message}` : err);
  process.exit(1);
});
