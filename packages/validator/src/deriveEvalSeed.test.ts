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
  const draw = (ownPages: number[]) =>
    drawEvaluationPages({
      evalSeed,
      trainPageCount: 50,
      heldOutPageCount: 20,
      randomCount: 10,
      heldOutCount: 5,
      ownPages,
    });

  it('draws distinct random pages outside the own pages, and held-out pages', () => {
    const { random, heldOut } = draw([0, 1, 2, 3]);
    expect(new Set(random).size).toBe(10);
    expect(random.every((page) => page >= 4 && page < 50)).toBe(true);
    expect(new Set(heldOut).size).toBe(5);
    expect(heldOut.every((page) => page >= 0 && page < 20)).toBe(true);
  });

  it('gives every miner of a window the same held-out pages', () => {
    expect(draw([0, 1]).heldOut).toEqual(draw([40, 41]).heldOut);
    expect(draw([0, 1])).toEqual(draw([0, 1]));
  });
});
