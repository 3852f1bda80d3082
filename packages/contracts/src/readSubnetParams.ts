import { getAddress } from 'ethers';
import type { SubnetContract } from './connectSubnet.js';
import type { Address, SubnetParams } from './resolveSubnetParams.js';

/**
 * Reads the constants a deployed Subnet holds (startBlock resolved to a block number).
 *
 * @param parameters.subnet A connected Subnet.
 * @returns The parameters, frozen.
 * @example
 * const { startBlock, blocksPerWindow } = await readSubnetParams({ subnet });
 */
export async function readSubnetParams(parameters: {
  subnet: SubnetContract;
}): Promise<Readonly<SubnetParams>> {
  const onChain = await parameters.subnet.params();
  return Object.freeze({
    owner: getAddress(onChain.owner) as Address,
    startBlock: Number(onChain.startBlock),
    blocksPerWindow: Number(onChain.blocksPerWindow),
    windowsPerEpoch: Number(onChain.windowsPerEpoch),
    deadlineGraceBlocks: Number(onChain.deadlineGraceBlocks),
    maxUids: Number(onChain.maxUids),
    maxValidators: Number(onChain.maxValidators),
    maxValidatorPermits: Number(onChain.maxValidatorPermits),
    immunityPeriod: Number(onChain.immunityPeriod),
    weightsRateLimit: Number(onChain.weightsRateLimit),
    stakeLockBlocks: Number(onChain.stakeLockBlocks),
    kappaBps: Number(onChain.kappaBps),
    bondsAlphaBps: Number(onChain.bondsAlphaBps),
    validatorTakeBps: Number(onChain.validatorTakeBps),
    maxUriLength: Number(onChain.maxUriLength),
    registrationBurn: onChain.registrationBurn,
    minValidatorStake: onChain.minValidatorStake,
    emissionPerEpoch: onChain.emissionPerEpoch,
  });
}
