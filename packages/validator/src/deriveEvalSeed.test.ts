import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { deriveEvalSeed } from './deriveEvalSeed.js';
import { drawEvaluationPages } from './drawEvaluationPages.js';
import { ValidatorError } from './errors/validator.js';

const secret = new Uint8Array(32).fill(7);
const deadlineBlockHash = `0x${'ab'.repeat(32)}` as const;

describe('deriveEvalSeed', () => {
  it('is keccak256(secret ‖ block hash ‖ uint256 window)', () => {
    const input = new Uint8Array(96);
    input.set(secret, 0);
    input.fill(0xab, 32, 64);
    input[95] = 12;
    expect(deriveEvalSeed({ secret, window: 12, deadlineBlockHash })).toBe(
      `0x${bytesToHex(keccak_256(input))}`,
    );
  });

  it('changes with the secret, the block hash and the window', () => {
    const base = deriveEvalSeed({ secret, window: 1, deadlineBlockHash });
    expect(deriveEvalSeed({ secret: new Uint8Array(32), window: 1, deadlineBlockHash })).not.toBe(base);
    expect(deriveEvalSeed({ secret, window: 2, deadlineBlockHash })).not.toBe(base);
    expect(deriveEvalSeed({ secret, window: 1, deadlineBlockHash: `0x${'ac'.repeat(32)}` })).not.toBe(base);
  });

  it('refuses a secret that is not 32 bytes', () => {
    expect(() => deriveEvalSeed({ secret: new Uint8Array(31), window: 1, deadlineBlockHash })).toThrow(
      ValidatorError,
    );
  });
});

describe('drawEvaluationPages', () => {
  const evalSeed = deriveEvalSeed({ secret, window: 3, deadlineBlockHash });
  const draw = (assignedPages: number[]) =>
    drawEvaluationPages({ evalSeed, trainPageCount: 50, unseenCount: 10, referenceCount: 5, assignedPages });

  it('draws distinct unseen and reference pages, none assigned to any miner and none in both lists', () => {
    const assigned = [0, 1, 2, 3, 17, 30, 49];
    const { unseen, reference } = draw(assigned);
    expect(new Set(unseen).size).toBe(10);
    expect(new Set(reference).size).toBe(5);
    for (const page of [...unseen, ...reference]) {
      expect(page).toBeGreaterThanOrEqual(0);
      expect(page).toBeLessThan(50);
      expect(assigned).not.toContain(page);
    }
    expect(unseen.filter((page) => reference.includes(page))).toEqual([]);
  });

  it('is a function of the seed and the assigned pages only', () => {
    expect(draw([0, 1])).toEqual(draw([1, 0, 1]));
    const other = drawEvaluationPages({
      evalSeed: deriveEvalSeed({ secret, window: 4, deadlineBlockHash }),
      trainPageCount: 50,
      unseenCount: 10,
      referenceCount: 5,
      assignedPages: [0, 1],
    });
    expect(other.unseen).not.toEqual(draw([0, 1]).unseen);
  });

  it('fails clearly when too few unassigned pages are left', () => {
    expect(() =>
      drawEvaluationPages({
        evalSeed,
        trainPageCount: 12,
        unseenCount: 10,
        referenceCount: 5,
        assignedPages: [0],
      }),
    ).toThrow(/Not enough pages/);
  });
});
