/** The last `size` items pushed, oldest overwritten first: a bounded history for the admin page. */
export class Ring<T> {
  private readonly items: T[] = [];
  private next = 0;

  constructor(private readonly size: number) {}

  push(item: T): void {
    if (this.items.length < this.size) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) % this.size;
  }

  /** Newest first. */
  newestFirst(): T[] {
    const older = this.items.slice(this.next);
    const newer = this.items.slice(0, this.next);
    return [...older, ...newer].reverse();
  }
}
