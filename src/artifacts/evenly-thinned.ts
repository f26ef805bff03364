interface Kept<T> {
  seq: number;
  /** Position among unpinned items (-1 when pinned). */
  n: number;
  value: T;
}

/**
 * Keeps at most `cap` unpinned items of an unbounded series, evenly spaced over the whole series:
 * every item while under the cap, then every 2nd, 4th, ... (halving what is held each time the cap is passed).
 * Pinned items are always kept. Used to bound memory on huge logs while keeping a series' shape.
 */
export class EvenlyThinned<T> {
  private items: Kept<T>[] = [];
  private stride = 1;
  private count = 0;
  private unpinned = 0;
  seen = 0;

  constructor(private readonly cap: number) {}

  /** Offers the next item; true when it was kept (for now: a later halving may still drop it). */
  add(value: T, seq: number, pinned = false): boolean {
    this.seen++;
    if (pinned) { this.items.push({ seq, n: -1, value }); return true; }
    const n = this.count++;
    if (n % this.stride !== 0) return false;
    this.items.push({ seq, n, value });
    if (++this.unpinned > this.cap) {
      this.stride *= 2;
      this.items = this.items.filter((i) => i.n < 0 || i.n % this.stride === 0);
      this.unpinned = this.items.filter((i) => i.n >= 0).length;
    }
    return n % this.stride === 0;
  }

  /** Keeps `value` whatever the spacing (e.g. the series' peak), unless it is already kept. */
  ensure(value: T, seq: number): boolean {
    if (this.items.some((i) => i.value === value)) return false;
    this.items.push({ seq, n: -1, value });
    return true;
  }

  /** The kept items in series order. */
  kept(): { seq: number; value: T }[] {
    return [...this.items].sort((a, b) => a.seq - b.seq).map(({ seq, value }) => ({ seq, value }));
  }
}
