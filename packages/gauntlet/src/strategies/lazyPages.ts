/** Parameters of {@link lazyPages}. */
export type LazyPagesParameters = {
  /** The pages the miner was assigned. */
  assigned: readonly number[];
  /** Pages to pick. */
  count: number;
  /** Pages in the training split. */
  trainPageCount: number;
};

/**
 * The lowest-numbered training pages not in `assigned`: the same few pages window after
 * window, as a miner would pick that keeps one cached batch instead of loading its
 * assignment.
 *
 * @returns Up to `count` distinct pages, ascending, none assigned.
 * @example
 * lazyPages({ assigned: [0, 2], count: 3, trainPageCount: 100 }); // [1, 3, 4]
 */
export function lazyPages(parameters: LazyPagesParameters): number[] {
  const { count, trainPageCount } = parameters;
  const assigned = new Set(parameters.assigned);
  const pages: number[] = [];
  for (let page = 0; page < trainPageCount && pages.length < count; page++) {
    if (!assigned.has(page)) pages.push(page);
  }
  return pages;
}
