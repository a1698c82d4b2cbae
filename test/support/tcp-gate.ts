import net from 'node:net';
import { freePort } from './redis-server';

export interface TcpGate {
  readonly port: number;
  /** Stops listening and cuts every connection: the port is closed, as when the server is down. */
  close(): Promise<void>;
  /** Listens again on the same port. */
  open(): Promise<void>;
  readonly isOpen: boolean;
}

/**
 * A TCP relay in front of a server (an SMTP sink, say) that can be closed and reopened on the same port,
 * so that the app keeps its configured address while its dependency is down.
 */
export async function startTcpGate(targetPort: number, host = '127.0.0.1'): Promise<TcpGate> {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;

  const open = async () => {
    if (server) return;
    const listening = net.createServer((client) => {
      const upstream = net.connect(targetPort, host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(port, host, () => resolve());
    });
    server = listening;
  };

  const close = async () => {
    const listening = server;
    server = undefined;
    if (!listening) return;
    const closed = new Promise<void>((resolve) => listening.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };

  await open();
  return {
    port,
    open,
    close,
    get isOpen() {
      return server !== undefined;
    },
  };
}
