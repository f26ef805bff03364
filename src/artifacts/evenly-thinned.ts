/**
 * Keeps at most `cap` unpinned items of an unbounded series, evenly spaced over the whole series:
 * every item while under the cap, then every 2nd, 4th, ... (halving what is held each time the cap is passed).
 * Pinned items are always kept. Used to bound memory on huge logs while keeping a series' shape.
 *
 * Most of a long series is offered, held a while and dropped at a later halving. Whatever is held then outlives
 * V8 scavenges, and V8 answers steady survivors by growing its heap (RSS). So an item is a number (lambda.log's
 * is a slot in an off-heap store: ask `admits` before storing), and items are held in typed arrays, not as
 * objects or in arrays that are reallocated at every halving.
 */
export class EvenlyThinned {
  private size = 0;
  // Held items: sequence number, position among unpinned items (-1 when pinned) and value.
  private seqs = new Float64Array(1024);
  private positions = new Float64Array(1024);
  private items = new Float64Array(1024);
  private stride = 1;
  private count = 0;
  private unpinned = 0;
  seen = 0;

  constructor(private readonly cap: number) {}

  /** Whether the next item offered would be kept (for now): build its value only then. */
  admits(pinned = false): boolean {
    return pinned || this.count % this.stride === 0;
  }

  /** Offers the next item; true when it was kept (for now: a later halving may still drop it). */
  add(value: number, seq: number, pinned = false): boolean {
    this.seen++;
    if (pinned) { this.hold(seq, -1, value); return true; }
    const n = this.count++;
    if (n % this.stride !== 0) return false;
    this.hold(seq, n, value);
    if (++this.unpinned > this.cap) this.halve();
    return n % this.stride === 0;
  }

  /** Whether the item numbered `seq` is held. */
  holds(seq: number): boolean {
    return this.seqs.subarray(0, this.size).includes(seq);
  }

  /** Keeps `value` whatever the spacing (e.g. the series' peak), unless the item numbered `seq` is held already. */
  ensure(value: number, seq: number): boolean {
    if (this.holds(seq)) return false;
    this.hold(seq, -1, value);
    return true;
  }

  /** The values held now, in no particular order (a view, valid until the next `add`). */
  values(): Float64Array {
    return this.items.subarray(0, this.size);
  }

  /** The kept items in series order. */
  kept(): { seq: number; value: number }[] {
    const out: { seq: number; value: number }[] = [];
    for (let i = 0; i < this.size; i++) out.push({ seq: this.seqs[i]!, value: this.items[i]! });
    return out.sort((a, b) => a.seq - b.seq);
  }

  private hold(seq: number, position: number, value: number): void {
    if (this.size === this.seqs.length) {
      this.seqs = grown(this.seqs);
      this.positions = grown(this.positions);
      this.items = grown(this.items);
    }
    this.seqs[this.size] = seq;
    this.positions[this.size] = position;
    this.items[this.size] = value;
    this.size++;
  }

  /** Doubles the stride, dropping in place the unpinned items off it. */
  private halve(): void {
    this.stride *= 2;
    let kept = 0;
    let unpinned = 0;
    for (let i = 0; i < this.size; i++) {
      const n = this.positions[i]!;
      if (n >= 0 && n % this.stride !== 0) continue;
      if (n >= 0) unpinned++;
      this.seqs[kept] = this.seqs[i]!;
      this.positions[kept] = n;
      this.items[kept] = this.items[i]!;
      kept++;
    }
    this.size = kept;
    this.unpinned = unpinned;
  }
}

function grown(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}
