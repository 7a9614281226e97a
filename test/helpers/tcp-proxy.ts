/**
 * A TCP proxy in front of a test server, to simulate the server going away from a client's point
 * of view (a restart or a network cut) without disturbing other tests that share the server:
 * `outage()` resets every open connection and refuses new ones until `restore()`; `latencyMs`
 * delays every chunk in both directions (order kept) while it is above 0.
 */
import net from 'node:net';

export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private down = false;
  port = 0;
  /** Added to every chunk's trip through the proxy, in each direction; 0: forwarded at once. */
  latencyMs = 0;

  constructor(private readonly targetHost: string, private readonly targetPort: number) {}

  async start(): Promise<this> {
    this.server = net.createServer((client) => {
      if (this.down) return client.destroy();
      const upstream = net.connect(this.targetPort, this.targetHost);
      this.sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      this.forward(client, upstream);
      this.forward(upstream, client);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  /** Copies `from` to `to`: at once (with backpressure) while there is no latency, else each chunk after `latencyMs`, never overtaking an earlier one. */
  private forward(from: net.Socket, to: net.Socket): void {
    let lastDue = 0;
    from.on('data', (chunk: Buffer) => {
      const now = Date.now();
      if (this.latencyMs <= 0 && lastDue <= now) {
        if (!to.write(chunk)) {
          from.pause();
          to.once('drain', () => from.resume());
        }
        return;
      }
      lastDue = Math.max(now + this.latencyMs, lastDue);
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
      }, lastDue - now);
    });
    from.on('end', () => {
      const wait = Math.max(0, lastDue - Date.now());
      setTimeout(() => to.end(), wait);
    });
  }

  /** Resets every open connection and refuses new ones. */
  outage(): void {
    this.down = true;
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
  }

  restore(): void {
    this.down = false;
  }

  async stop(): Promise<void> {
    this.outage();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
