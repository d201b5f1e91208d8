import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A simulator's HTTP server: on 127.0.0.1 only, stopped at once even while clients keep connections alive. */
export class LocalServer {
  private server?: http.Server;

  constructor(private readonly handler: http.RequestListener) {}

  /** Listens (port 0: any free port) and returns the origin, e.g. http://127.0.0.1:40123. */
  async start(port = 0): Promise<string> {
    if (this.server) throw new Error('the simulator is already running');
    const server = http.createServer(this.handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Clients keep connections alive; without this, close() would wait for them to time out.
    server.closeAllConnections();
    await closed;
  }
}
