import { assignmentT, proofEpsilon } from './assignmentT.js';
import { ValidatorError } from './errors/validator.js';

describe('assignmentT', () => {
  it("is Welch's t of the own gains over the unseen gains", () => {
    // Means 3 and 1, variances 1 and 2/3, over 3 and 4 pages: 2 / √(1/3 + 1/6).
    expect(assignmentT([2, 3, 4], [0, 1, 2, 1])).toBeCloseTo(2 / Math.sqrt(1 / 3 + 1 / 6), 12);
  });

  it('is negative when the unseen pages gain more, and 0 when both gain alike', () => {
    expect(assignmentT([0, 0.1], [1, 1.1])).toBeLessThan(0);
    expect(assignmentT([0.5, 0.7], [0.7, 0.5])).toBe(0);
  });

  it('reads one large gain among flat pages as the noise it is, where a ratio of means would not', () => {
    // Same means as a consistent gain, but one page carries it all.
    const consistent = assignmentT([0.11, 0.1, 0.09, 0.1], [0.01, 0, -0.01, 0]);
    const onePage = assignmentT([0.4, 0, 0, 0], [0.01, 0, -0.01, 0]);
    expect(consistent).toBeGreaterThan(10);
    expect(onePage).toBeLessThan(1.1);
  });

  it('stays finite when every gain is the same, dividing by the floor', () => {
    expect(assignmentT([1, 1], [0, 0])).toBe(1 / proofEpsilon);
  });

  it('refuses fewer than 2 gains on a side', () => {
    expect(() => assignmentT([1], [0, 0])).toThrow(ValidatorError);
    expect(() => assignmentT([1, 2], [])).toThrow(/at least 2 pages a side/);
  });
});
