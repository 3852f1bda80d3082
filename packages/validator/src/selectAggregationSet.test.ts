import { selectAggregationSet } from './selectAggregationSet.js';

describe('selectAggregationSet', () => {
  it('takes the G best positive scores, ties to the lower uid, ascending by uid', () => {
    const scores = new Map([
      [7, 0.3],
      [2, 0.1],
      [4, 0.3],
      [9, 0.5],
      [1, 0],
      [3, -0.2],
      [5, Number.NaN],
    ]);
    expect(selectAggregationSet({ scores, aggregationSize: 2 })).toEqual([4, 9]);
    expect(selectAggregationSet({ scores, aggregationSize: 8 })).toEqual([2, 4, 7, 9]);
  });

  it('is empty when no score is positive', () => {
    expect(selectAggregationSet({ scores: new Map([[1, 0]]), aggregationSize: 4 })).toEqual([]);
  });
});
