/** A min-heap of timed events: by time, then by an order of kinds, then by insertion (stable). */
interface Entry<T> {
  readonly at: number;
  readonly order: number;
  readonly seq: number;
  readonly item: T;
}

export class EventQueue<T> {
  private readonly heap: Entry<T>[] = [];
  private seq = 0;

  push(at: number, order: number, item: T): void {
    this.heap.push({ at, order, seq: this.seq++, item });
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(this.heap[i]!, this.heap[parent]!)) break;
      [this.heap[i], this.heap[parent]] = [this.heap[parent]!, this.heap[i]!];
      i = parent;
    }
  }

  pop(): { at: number; item: T } | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (this.heap.length > 0 && last) {
      this.heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.heap.length && this.before(this.heap[l]!, this.heap[m]!)) m = l;
        if (r < this.heap.length && this.before(this.heap[r]!, this.heap[m]!)) m = r;
        if (m === i) break;
        [this.heap[i], this.heap[m]] = [this.heap[m]!, this.heap[i]!];
        i = m;
      }
    }
    return top && { at: top.at, item: top.item };
  }

  private before(a: Entry<T>, b: Entry<T>): boolean {
    return a.at < b.at || (a.at === b.at && (a.order < b.order || (a.order === b.order && a.seq < b.seq)));
  }
}
