import { trainedTokens } from './parityTokens.js';

const batch = (rows: number, rowLength: number) => ({
  tokens: new Int32Array(rows * rowLength),
  batchSize: rows,
  rowLength,
});

describe('trainedTokens', () => {
  it('counts the predicted tokens of every step, cycling through the batches', () => {
    // Pages of 64 tokens (65 with the last target): steps on 4, 2, then 4 rows again.
    expect(trainedTokens({ batches: [batch(4, 65), batch(2, 65)], steps: 3 })).toBe(4 * 64 + 2 * 64 + 4 * 64);
    // The tiny preset's miner window: 4 pages in one batch, 8 steps.
    expect(trainedTokens({ batches: [batch(4, 65)], steps: 8 })).toBe(2048);
  });

  it('is zero without steps and refuses steps without batches', () => {
    expect(trainedTokens({ batches: [], steps: 0 })).toBe(0);
    expect(() => trainedTokens({ batches: [], steps: 1 })).toThrow('Steps without batches');
  });
});
