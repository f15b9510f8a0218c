/**
 * Test helper: a WebSocket relay in front of a node that answers some RPC methods late, as a
 * busy node or a slow link does. Requests and subscription notifications pass at once; only the
 * responses to `slow` methods wait `delayMs`, and notifications of `muted` subscriptions (e.g.
 * `author_extrinsicUpdate`) never arrive. Not podium code under test: it stands for the
 * network between podium and a real node.
 */
import { WebSocket, WebSocketServer, type RawData } from 'ws';

/** A running relay: connect to `endpoint` instead of the node. */
export interface SlowLink {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** What the link does to the traffic. */
export interface LinkFaults {
  /** RPC methods whose responses arrive `delayMs` late. */
  readonly slow?: readonly string[];
  readonly delayMs?: number;
  /** Subscription notification methods that are dropped. */
  readonly muted?: readonly string[];
}

/** Starts a relay to `upstream` on 127.0.0.1 (a free port) with `faults`. */
export async function startSlowLink(upstream: string, faults: LinkFaults): Promise<SlowLink> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  server.on('connection', (client) => relay(client, upstream, faults));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of server.clients) c.terminate();
        server.close(() => resolve());
      }),
  };
}

function relay(client: WebSocket, upstream: string, faults: LinkFaults): void {
  const slow = new Set(faults.slow ?? []);
  const muted = new Set(faults.muted ?? []);
  const node = new WebSocket(upstream);
  const methods = new Map<unknown, string>();
  const queue: RawData[] = [];
  node.on('open', () => queue.splice(0).forEach((m) => node.send(m)));
  client.on('message', (data) => {
    const request = JSON.parse(data.toString()) as { id?: unknown; method?: string };
    if (request.method) methods.set(request.id, request.method);
    if (node.readyState === WebSocket.OPEN) node.send(data);
    else queue.push(data);
  });
  node.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { id?: unknown; method?: string };
    if (message.method !== undefined && muted.has(message.method)) return;
    const late = message.id !== undefined && slow.has(methods.get(message.id) ?? '');
    const send = () => client.readyState === WebSocket.OPEN && client.send(data.toString());
    if (late) setTimeout(send, faults.delayMs ?? 0);
    else send();
  });
  client.on('close', () => node.close());
  node.on('close', () => client.close());
  node.on('error', () => client.close());
}
