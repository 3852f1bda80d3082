import { BaseError } from '@tessera/errors';

/**
 * The root of every error `@tessera/contracts` throws on purpose: a {@link BaseError}
 * (shortMessage, details, hint, cause), so a caller that catches Tessera's errors catches
 * these too. The base lives in `@tessera/errors`, below this package and `@tessera/core`.
 *
 * @example
 * throw new ContractsError('Deployment file is invalid.', { details: 'subnet: not an address' });
 */
export class ContractsError extends BaseError {
  override name = 'ContractsError';
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
