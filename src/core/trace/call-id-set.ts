/**
 * The call ids a trace has used so far, with the line of each, for the duplicate check. A
 * million ids as a million strings in a Map cost the reader more than parsing its lines, and
 * the garbage collector more still (every id outlives the young generation). Traces mostly
 * number their calls in order ("c0000001", "c0000002", …), so ids that sort after every id
 * before them are kept in order, packed: each full block of them is joined into one string
 * with their offsets and lines in typed arrays. Only the other ids go into a Map. A new id in
 * order costs one comparison; a lookup of any other id is a binary search (slicing the packed
 * ids it compares) and a Map get.
 */
export class CallIdSet {
  /** Blocks of BLOCK ids in order, each joined into one string, with where each id starts and ends. */
  private readonly blocks: string[] = [];
  private readonly offsets: Int32Array[] = [];
  /** The ids in order not yet packed into a block. */
  private open: string[] = [];
  /** Lines of the ids in order, by their rank. */
  private lines = new Float64Array(BLOCK);
  private count = 0;
  private last = '';
  /** Every other id: each sorts at or before the last id in order at the time it was added. */
  private readonly others = new Map<string, number>();

  /** The line that used `id` first, or undefined when it is new. */
  lineOf(id: string): number | undefined {
    if (this.count === 0 || id > this.last) return undefined; // after everything seen, others included
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.idAt(mid);
      if (at === id) return this.lines[mid];
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return this.others.get(id);
  }

  /** Adds a new id (one `lineOf` found unused). */
  add(id: string, line: number): void {
    if (this.count > 0 && id <= this.last) {
      this.others.set(id, line);
      return;
    }
    if (this.count === this.lines.length) {
      const grown = new Float64Array(this.lines.length * 2);
      grown.set(this.lines);
      this.lines = grown;
    }
    this.lines[this.count++] = line;
    this.last = id;
    this.open.push(id);
    if (this.open.length === BLOCK) this.pack();
  }

  private pack(): void {
    const offsets = new Int32Array(BLOCK + 1);
    let at = 0;
    for (let i = 0; i < BLOCK; i++) {
      offsets[i] = at;
      at += this.open[i]!.length;
    }
    offsets[BLOCK] = at;
    this.blocks.push(this.open.join(''));
    this.offsets.push(offsets);
    this.open = [];
  }

  /** The id in order of rank `k`. */
  private idAt(k: number): string {
    const block = Math.floor(k / BLOCK);
    if (block === this.blocks.length) return this.open[k - block * BLOCK]!;
    const i = k - block * BLOCK;
    const offsets = this.offsets[block]!;
    return this.blocks[block]!.slice(offsets[i]!, offsets[i + 1]!);
  }
}

const BLOCK = 4096;
