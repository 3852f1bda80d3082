import type { Address } from '../types.js';
import { checkInput } from './checkInput.js';
import { parseAggregate, parseNeuron } from './parseViews.js';
import type { AggregateViewReply, AggregateWithPublisher, NeuronViewReply } from './parseViews.js';
import { selectLeadAggregate } from './selectLeadAggregate.js';

const A = '0x1111111111111111111111111111111111111111' as Address;
const B = '0x2222222222222222222222222222222222222222' as Address;
const C = '0x3333333333333333333333333333333333333333' as Address;
const H = `0x${'ab'.repeat(32)}`;

const neuronView = (over: Partial<Record<string, unknown>> = {}) =>
  ({
    uid: 3n,
    hotkey: A.toLowerCase(),
    isValidator: true,
    validatorPermit: true,
    stake: 500n,
    consensus: 0n,
    incentive: 250_000_000n,
    dividends: 1_000_000_000n,
    registrationBlock: 12n,
    registrationEpoch: 0n,
    weightsBlock: 0n,
    unclaimed: 0n,
    ...over,
  }) as unknown as NeuronViewReply;

describe('parseNeuron', () => {
  it('converts a NeuronView: checksummed hotkey, numbers, fractions from 1e9', () => {
    expect(parseNeuron(neuronView())).toEqual({
      uid: 3,
      hotkey: A,
      isValidator: true,
      stake: 500n,
      validatorPermit: true,
      incentive: 0.25,
      dividends: 1,
      registeredAt: 12,
    });
  });

  it('rejects malformed fields with bad_response naming them', () => {
    for (const [over, field] of [
      [{ incentive: 1_000_000_001n }, 'neuron.incentive'],
      [{ hotkey: '0x1234' }, 'neuron.hotkey'],
      [{ uid: 70_000n }, 'neuron.uid'],
      [{ stake: -1n }, 'neuron.stake'],
      [{ registrationBlock: 2n ** 60n }, 'neuron.registrationBlock'],
      [{ isValidator: 'yes' }, 'neuron.isValidator'],
    ] as const) {
      expect(() => parseNeuron(neuronView(over))).toThrow(
        expect.objectContaining({ reason: 'bad_response', shortMessage: expect.stringContaining(field) }),
      );
    }
  });
});

describe('parseAggregate', () => {
  const view = (uids: bigint[]) =>
    ({
      window: 7n,
      validator: B,
      validatorUid: 5n,
      aggregateHash: H,
      uids,
      uri: 'u',
      blockNumber: 99n,
    }) as unknown as AggregateViewReply;

  it('keeps uids ascending and the publisher uid', () => {
    expect(parseAggregate(view([1n, 4n]))).toEqual({
      window: 7,
      uids: [1, 4],
      modelHash: H,
      uri: 'u',
      validator: B,
      validatorUid: 5,
      block: 99,
    });
  });

  it('rejects uids that are not strictly ascending', () => {
    expect(() => parseAggregate(view([4n, 1n]))).toThrow(expect.objectContaining({ reason: 'bad_response' }));
    expect(() => parseAggregate(view([1n, 1n]))).toThrow(expect.objectContaining({ reason: 'bad_response' }));
  });
});

describe('selectLeadAggregate', () => {
  const aggregate = (validator: Address, validatorUid: number, block: number): AggregateWithPublisher => ({
    window: 1,
    uids: [],
    modelHash: H as `0x${string}`,
    uri: '',
    validator,
    validatorUid,
    block,
  });

  it('picks the highest stake, then the lowest uid, whatever the publication order', () => {
    const stakes = new Map([
      [A, 100n],
      [B, 300n],
      [C, 300n],
    ]);
    const list = [aggregate(A, 1, 10), aggregate(C, 9, 11), aggregate(B, 4, 12)];
    expect(selectLeadAggregate({ aggregates: list, stakes })?.validator).toBe(B);
    expect(selectLeadAggregate({ aggregates: [...list].reverse(), stakes })?.validator).toBe(B);
  });

  it('counts a publisher that is no longer a validator as stake 0, and drops late ones', () => {
    const stakes = new Map([[A, 1n]]);
    expect(
      selectLeadAggregate({ aggregates: [aggregate(B, 0, 10), aggregate(A, 7, 11)], stakes })?.validator,
    ).toBe(A);
    expect(
      selectLeadAggregate({ aggregates: [aggregate(A, 7, 20)], stakes, beforeBlock: 20 }),
    ).toBeUndefined();
    expect(selectLeadAggregate({ aggregates: [], stakes })).toBeUndefined();
  });
});

describe('checkInput', () => {
  it('sorts distinct uids and refuses duplicates and out-of-range values', () => {
    expect(checkInput.uids([5, 0, 3], 'uids')).toEqual([0, 3, 5]);
    expect(() => checkInput.uids([1, 1], 'uids')).toThrow(
      expect.objectContaining({ reason: 'invalid_parameter' }),
    );
    expect(() => checkInput.uids([65_536], 'uids')).toThrow(
      expect.objectContaining({ reason: 'invalid_parameter' }),
    );
    expect(() => checkInput.amount(0n, 'amount')).toThrow(
      expect.objectContaining({ reason: 'invalid_parameter' }),
    );
    expect(() => checkInput.uri('é'.repeat(3), 'uri', 5, false)).toThrow(
      expect.objectContaining({ reason: 'invalid_parameter' }),
    );
    expect(checkInput.uri('', 'uri', 5, true)).toBe('');
  });
});
