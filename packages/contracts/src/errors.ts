/** Parameters every contracts-package error takes. */
export type ContractsErrorParameters = {
  /** Further facts: the offending value, the limit it broke. */
  details?: string | undefined;
  /** What the operator can do about it. */
  hint?: string | undefined;
  /** The lower-level error this one wraps. */
  cause?: unknown;
  /** Extra lines shown under the short message (one per bad field, for instance). */
  metaMessages?: string[] | undefined;
};

/**
 * The root of every error `@tessera/contracts` throws on purpose.
 *
 * Shaped like `BaseError` of `@tessera/core` (shortMessage, details, hint, cause), which this
 * package cannot import: contracts sit below core in the dependency order.
 *
 * @example
 * throw new ContractsError('Deployment file is invalid.', { details: 'subnet: not an address' });
 */
export class ContractsError extends Error {
  override name = 'ContractsError';
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly hint: string | undefined;
  readonly metaMessages: string[] | undefined;

  constructor(shortMessage: string, parameters: ContractsErrorParameters = {}) {
    const lines = [shortMessage];
    if (parameters.metaMessages?.length) lines.push('', ...parameters.metaMessages);
    if (parameters.details) lines.push('', `Details: ${parameters.details}`);
    if (parameters.hint) lines.push(`Hint: ${parameters.hint}`);
    super(lines.join('\n'), parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.details = parameters.details;
    this.hint = parameters.hint;
    this.metaMessages = parameters.metaMessages;
  }
}

/** Subnet parameters that break the contract's rules; `metaMessages` lists every bad field. */
export class InvalidSubnetParamsError extends ContractsError {
  override name = 'InvalidSubnetParamsError';
}

/** A deployment JSON file that is missing, unreadable or malformed. */
export class DeploymentFileError extends ContractsError {
  override name = 'DeploymentFileError';
}

/** A deployment that failed on chain or returned something unexpected. */
export class DeployError extends ContractsError {
  override name = 'DeployError';
}

/** An anvil node that could not be started or refused a request. */
export class AnvilError extends ContractsError {
  override name = 'AnvilError';
}
