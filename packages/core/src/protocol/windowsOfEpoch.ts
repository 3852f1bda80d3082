import { assertInteger, safeResult } from './assertInteger.js';

/** Parameters of {@link windowsOfEpoch}; hyperparameters may be spread in. */
export type WindowsOfEpochParameters = {
  /** An epoch, 0 or more. */
  epoch: number;
  /** Windows per epoch. */
  windowsPerEpoch: number;
};

/** The windows of one epoch, both ends included. */
export type EpochWindows = {
  /** `epoch · windowsPerEpoch`. */
  first: number;
  /** `first + windowsPerEpoch − 1`. */
  last: number;
};

/**
 * The windows an epoch spans.
 *
 * @throws ProtocolParameterError for a non-integer or a result past 2^53 − 1.
 * @example
 * windowsOfEpoch({ epoch: 2, windowsPerEpoch: 10 }); // { first: 20, last: 29 }
 */
export function windowsOfEpoch(parameters: WindowsOfEpochParameters): EpochWindows {
  const { epoch, windowsPerEpoch } = parameters;
  assertInteger('epoch', epoch, 0);
  assertInteger('windowsPerEpoch', windowsPerEpoch, 1);
  const first = safeResult('first window', epoch * windowsPerEpoch);
  return { first, last: safeResult('last window', first + windowsPerEpoch - 1) };
}
