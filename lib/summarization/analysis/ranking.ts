/** Ranking and search helpers for lists far longer than what is read of them. */

/**
 * The `k` first items of `items` in the order `compare` gives, exactly as `[...items].sort(compare).slice(0,
 * k)` gives them (ties keep their input order, as the stable sort keeps them), by a bounded insertion:
 * O(n log k) comparisons and no full sort.
 */
export function topRanked<T>(items: T[], k: number, compare: (a: T, b: T) => number): T[] {
  if (items.length <= k) return [...items].sort(compare);
  const top: T[] = [];
  for (const item of items) {
    if (top.length === k && compare(item, top[k - 1] as T) >= 0) continue;
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(top[mid] as T, item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, item);
    if (top.length > k) top.pop();
  }
  return top;
}

/** Position in `sorted` (ascending) of its first number above `n`: a binary search. */
export function firstAfter(sorted: readonly number[], n: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
