import type { EvaluationResult } from './evaluateUpdate.js';
import { rejectNormOutliers } from './rejectNormOutliers.js';

const scored = (norm: number, score = 0.01): EvaluationResult => ({ status: 'scored', score, norm });

describe('rejectNormOutliers', () => {
  it('rejects a scaled update among honest ones and keeps the honest ones', () => {
    const verdicts = new Map<number, EvaluationResult>([
      [1, scored(1.0)],
      [2, scored(1.2)],
      [3, scored(0.9)],
      [7, scored(8.1, 0.12)],
    ]);
    expect(rejectNormOutliers({ verdicts, maxNormRatio: 3 })).toEqual([7]);
    expect(verdicts.get(7)).toMatchObject({ status: 'rejected', reason: 'norm-outlier', score: 0 });
    expect([1, 2, 3].map((uid) => verdicts.get(uid)!.status)).toEqual(['scored', 'scored', 'scored']);
  });

  it('uses the lower median, so one scaled update cannot lift the reference when two scored', () => {
    const verdicts = new Map<number, EvaluationResult>([
      [1, scored(1.0)],
      [2, scored(8.0)],
    ]);
    expect(rejectNormOutliers({ verdicts, maxNormRatio: 3 })).toEqual([2]);
  });

  it('leaves rejected verdicts and windows without outliers alone', () => {
    const verdicts = new Map<number, EvaluationResult>([
      [1, scored(1.0)],
      [2, { status: 'rejected', reason: 'missing', score: 0 }],
      [3, scored(2.5)],
    ]);
    expect(rejectNormOutliers({ verdicts, maxNormRatio: 3 })).toEqual([]);
    expect(verdicts.get(2)).toEqual({ status: 'rejected', reason: 'missing', score: 0 });
  });
});
