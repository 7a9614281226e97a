/**
 * The producer's batch buffers within buffer.memory, as Kafka's BufferPool: buffers of batch.size
 * are kept for reuse once their batch is acknowledged (the producer then allocates nothing per
 * batch under steady load), larger ones (a record larger than batch.size) are allocated for their
 * batch and dropped after it. Allocating waits while the buffers in use and the pooled free ones
 * would exceed buffer.memory, as KafkaProducer.send blocks; one buffer larger than all of it is
 * allowed once nothing else is in use.
 */
export class BatchBufferPool {
  private readonly free: Buffer[] = [];
  private inUse = 0;
  private readonly waiters: Array<() => void> = [];
  /** Most bytes in use at once, since the start. */
  peakInUse = 0;

  constructor(
    /** The size of a pooled buffer (batch.size). */
    readonly poolableSize: number,
    private readonly totalMemory: number,
  ) {}

  get used(): number {
    return this.inUse;
  }

  /** A buffer of `size` bytes (at least), right away when it fits; null when the caller must wait (waitForRoom). */
  tryAllocate(size: number): Buffer | null {
    const pooled = size <= this.poolableSize;
    const bytes = pooled ? this.poolableSize : size;
    if (this.inUse > 0 && this.inUse + bytes > this.totalMemory) return null;
    this.inUse += bytes;
    if (this.inUse > this.peakInUse) this.peakInUse = this.inUse;
    if (pooled) return this.free.pop() ?? Buffer.allocUnsafeSlow(this.poolableSize);
    // A buffer of its own: pooled free ones give way so the total stays within buffer.memory.
    while (this.free.length > 0 && this.inUse + this.free.length * this.poolableSize > this.totalMemory)
      this.free.pop();
    return Buffer.allocUnsafeSlow(size);
  }

  /** Resolves when a release may have made room. */
  waitForRoom(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Gives a buffer back. `reusable` only once its request was answered: a request that failed may
   * still sit in a socket's write queue, so its buffer is never handed out again.
   */
  release(buffer: Buffer, reusable: boolean): void {
    const pooled = buffer.length === this.poolableSize;
    this.inUse -= pooled ? this.poolableSize : buffer.length;
    if (pooled && reusable && this.inUse + (this.free.length + 1) * this.poolableSize <= this.totalMemory)
      this.free.push(buffer);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Wakes every waiter (the producer failed or closed: they find out and throw). */
  wakeAll(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}
