// @tessera/contracts: the Solidity incentive layer's ABIs, bytecode, typed ethers v6 bindings,
// deployment, the settlement reference, and a private anvil starter. Re-exports only.

// generated artifacts (npm run build -w @tessera/contracts writes src/generated/)
export {
  abi as subnetAbi,
  bytecode as subnetBytecode,
  deployedBytecode as subnetDeployedBytecode,
  linkReferences as subnetLinkReferences,
} from './generated/Subnet.js';
export {
  abi as settlementLibraryAbi,
  bytecode as settlementLibraryBytecode,
  deployedBytecode as settlementLibraryDeployedBytecode,
} from './generated/SubnetSettlement.js';
export {
  abi as tokenAbi,
  bytecode as tokenBytecode,
  deployedBytecode as tokenDeployedBytecode,
} from './generated/TesseraToken.js';

// typed bindings
export * from './typedContract.js';
export * from './connectSubnet.js';
export * from './decodeSubnetLogs.js';
export * from './waitForReceipt.js';

// parameters and deployment
export * from './resolveSubnetParams.js';
export * from './readSubnetParams.js';
export * from './linkBytecode.js';
export * from './deploySubnet.js';
export * from './loadDeployment.js';

// settlement reference
export * from './consensus.js';
export * from './readEpochState.js';

// errors
export * from './errors.js';
