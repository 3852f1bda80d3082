import { BaseError } from '@tessera/errors';

/**
 * An anvil node that could not be started or refused a request.
 *
 * @example
 * throw new AnvilError('anvil exited before answering.', { details: stderr });
 */
export class AnvilError extends BaseError {
  override name = 'AnvilError';
}
