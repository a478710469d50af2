/**
 * Runs tasks in the background, at most `concurrency` at a time; a failed task is reported, never thrown. An item
 * already waiting is not queued twice (a sweep may find again what is still in line).
 */
export class WorkQueue<T> {
  private readonly pending: T[] = [];
  private readonly waiting = new Set<T>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly worker: (item: T) => Promise<void>,
    private readonly onError: (error: unknown, item: T) => void,
  ) {}

  push(...items: T[]): void {
    for (const item of items) {
      if (this.waiting.has(item)) continue;
      this.waiting.add(item);
      this.pending.push(item);
    }
    this.pump();
  }

  get size(): number {
    return this.pending.length + this.running;
  }

  /** Resolves when nothing is queued or running (used at shutdown). */
  async idle(): Promise<void> {
    if (this.size === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.pending.length > 0) {
      const item = this.pending.shift() as T;
      this.waiting.delete(item);
      this.running += 1;
      this.worker(item)
        .catch((error: unknown) => this.onError(error, item))
        .finally(() => {
          this.running -= 1;
          this.pump();
          if (this.size === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
        });
    }
  }
}
