/**
 * The call ids a trace has used so far, with the line of each, for the duplicate check. A
 * million ids in one Map cost the reader more than parsing its lines; but traces mostly number
 * their calls in order ("c0000001", "c0000002", …), so ids that sort after every id before them
 * are appended to a sorted list (no hashing, two array slots each) and only the others go into
 * a Map. A lookup is a comparison with the last id in order, else a binary search and a Map get.
 */
export class CallIdSet {
  /** Ids that came in ascending order, each after every id before it, and their lines. */
  private readonly ascending: string[] = [];
  private readonly ascendingLines: number[] = [];
  /** Every other id: each sorts at or before the last ascending id at the time it was added. */
  private readonly others = new Map<string, number>();

  /** The line that used `id` first, or undefined when it is new. */
  lineOf(id: string): number | undefined {
    const n = this.ascending.length;
    if (n === 0 || id > this.ascending[n - 1]!) return undefined; // after everything seen, others included
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.ascending[mid]!;
      if (at === id) return this.ascendingLines[mid];
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return this.others.get(id);
  }

  /** Adds a new id (one `lineOf` found unused). */
  add(id: string, line: number): void {
    const n = this.ascending.length;
    if (n === 0 || id > this.ascending[n - 1]!) {
      this.ascending.push(id);
      this.ascendingLines.push(line);
    } else {
      this.others.set(id, line);
    }
  }
}
