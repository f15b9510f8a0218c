/**
 * Proving the child has no network: the parent listens on every IPv4 address of the host, and
 * the child must fail to connect to any of them (loopback included). A connection seen on
 * either side means the child shares the host's network, and the benchmark refuses to go on.
 */
import { createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { BenchError } from '../errors.js';
import type { ProbeResult, ProbeTarget } from './protocol.js';

/** Something that can be asked to connect to targets (a Child). */
export interface Probeable {
  probe(targets: readonly ProbeTarget[], timeoutMs?: number): Promise<ProbeResult[]>;
}

/** A listener held by the parent, outside the child's namespace, counting connections. */
export interface Listener {
  readonly targets: readonly ProbeTarget[];
  connections(): number;
  close(): Promise<void>;
}

/** Opens a TCP listener on 0.0.0.0 (random port); targets are 127.0.0.1 and every host IPv4. */
export async function openListener(): Promise<Listener> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '0.0.0.0', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const hosts = new Set(['127.0.0.1']);
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4') hosts.add(a.address);
  }
  return {
    targets: [...hosts].map((host) => ({ host, port })),
    connections: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Runs the probe through `child`. Returns the probe results when every connection failed;
 * throws BenchError('isolation-failed') naming the address that was reachable.
 */
export async function verifyIsolation(child: Probeable): Promise<ProbeResult[]> {
  const listener = await openListener();
  try {
    const results = await child.probe(listener.targets, 1000);
    const reached = results.filter((r) => r.connected);
    if (reached.length > 0 || listener.connections() > 0) {
      const where = reached.map((r) => `${r.host}:${r.port}`).join(', ') || 'the parent listener';
      throw new BenchError(
        'isolation-failed',
        `network isolation failed: the benchmark child connected to ${where}; refusing to run models`,
      );
    }
    return results;
  } finally {
    await listener.close();
  }
}
