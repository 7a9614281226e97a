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

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

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

  /**
   * Copies `from` to `to`: at once (with backpressure) while there is no latency and nothing is
   * queued, else each chunk `latencyMs` after it arrived, from one queue drained by one timer so
   * that no chunk ever overtakes an earlier one (timers of different durations due in the same
   * millisecond may fire in any order).
   */
  private forward(from: net.Socket, to: net.Socket): void {
    const queue: Array<{ due: number; chunk: Buffer | null }> = []; // null: the end of the stream
    let timer: NodeJS.Timeout | null = null;
    const drain = () => {
      timer = null;
      while (queue.length > 0 && queue[0].due <= Date.now()) {
        const { chunk } = queue.shift()!;
        if (to.destroyed) continue;
        if (chunk === null) to.end();
        else to.write(chunk);
      }
      if (queue.length > 0) timer = setTimeout(drain, Math.max(1, queue[0].due - Date.now()));
    };
    const push = (chunk: Buffer | null) => {
      queue.push({ due: Date.now() + this.latencyMs, chunk });
      if (timer === null) timer = setTimeout(drain, Math.max(1, this.latencyMs));
    };
    from.on('data', (chunk: Buffer) => {
      if (this.latencyMs > 0 || queue.length > 0) return push(chunk);
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    });
    from.on('end', () => {
      if (this.latencyMs > 0 || queue.length > 0) push(null);
      else to.end();
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
