import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { getAddress, isAddress, isHexString } from 'ethers';
import { ContractsError, DeploymentFileError } from './errors.js';
import { resolveSubnetParams, subnetParamsToJson } from './resolveSubnetParams.js';
import type { Address, SubnetParams, SubnetParamsInput } from './resolveSubnetParams.js';

/** A 0x-prefixed 32-byte hash. */
export type Hash = `0x${string}`;

/** Where a subnet lives and how it was configured: what `deploySubnet` returns and the deploy script writes. */
export type Deployment = {
  /** Format version of the file. */
  version: 1;
  chainId: number;
  /** The Subnet contract: the address every role talks to. */
  subnet: Address;
  /** The reward (and stake) token. */
  token: Address;
  /** The SubnetSettlement library linked into the Subnet. */
  settlementLibrary: Address;
  deployer: Address;
  /** Block that included the Subnet's deployment. */
  deployBlock: number;
  /** Parameters as the chain holds them (startBlock resolved). */
  params: SubnetParams;
  tokenInfo: { name: string; symbol: string; genesisHolder: Address; genesisSupply: bigint };
  transactions: { settlementLibrary: Hash; token: Hash; subnet: Hash };
  /** The run config hash the Subnet records (`runConfigHash()`), lower-case; absent when it records none. */
  runConfigHash?: Hash | undefined;
  /**
   * The run config the subnet was deployed for, as JSON, when the deployer wrote it in. Not
   * checked here: roles parse it and use it only when its hash is the on-chain one.
   */
  runConfig?: Readonly<Record<string, unknown>> | undefined;
};

/**
 * A deployment as JSON text, bigints as decimal strings.
 *
 * @example
 * writeFileSync('deployment.json', serializeDeployment(deployment));
 */
export function serializeDeployment(deployment: Deployment): string {
  const json = {
    ...deployment,
    params: subnetParamsToJson(deployment.params),
    tokenInfo: { ...deployment.tokenInfo, genesisSupply: deployment.tokenInfo.genesisSupply.toString() },
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/**
 * Checks a parsed deployment JSON value field by field.
 *
 * @param json What JSON.parse returned.
 * @returns The typed deployment, addresses checksummed.
 * @throws DeploymentFileError listing every bad field.
 * @example
 * const deployment = parseDeployment(JSON.parse(text));
 */
export function parseDeployment(json: unknown): Deployment {
  const problems: string[] = [];
  const record = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  if (record !== json) problems.push('(root): expected an object');

  const address = (value: unknown, field: string): Address => {
    if (typeof value === 'string' && isAddress(value)) return getAddress(value) as Address;
    problems.push(`${field}: expected an address, got ${JSON.stringify(value)}`);
    return '0x0000000000000000000000000000000000000000';
  };
  const integer = (value: unknown, field: string): number => {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
    problems.push(`${field}: expected a non-negative integer, got ${JSON.stringify(value)}`);
    return 0;
  };
  const hash = (value: unknown, field: string): Hash => {
    if (typeof value === 'string' && isHexString(value, 32)) return value as Hash;
    problems.push(`${field}: expected a 32-byte hex hash, got ${JSON.stringify(value)}`);
    return `0x${'0'.repeat(64)}`;
  };
  const text = (value: unknown, field: string): string => {
    if (typeof value === 'string') return value;
    problems.push(`${field}: expected a string, got ${JSON.stringify(value)}`);
    return '';
  };
  const object = (value: unknown, field: string): Record<string, unknown> => {
    if (typeof value === 'object' && value !== null) return value as Record<string, unknown>;
    problems.push(`${field}: expected an object`);
    return {};
  };

  if (record.version !== 1) problems.push(`version: expected 1, got ${JSON.stringify(record.version)}`);
  const tokenInfo = object(record.tokenInfo, 'tokenInfo');
  const transactions = object(record.transactions, 'transactions');
  let genesisSupply = 0n;
  if (typeof tokenInfo.genesisSupply === 'string' && /^\d+$/.test(tokenInfo.genesisSupply)) {
    genesisSupply = BigInt(tokenInfo.genesisSupply);
  } else {
    problems.push(
      `tokenInfo.genesisSupply: expected a decimal string, got ${JSON.stringify(tokenInfo.genesisSupply)}`,
    );
  }
  let params: SubnetParams | undefined;
  try {
    params = resolveSubnetParams(object(record.params, 'params') as SubnetParamsInput);
  } catch (error) {
    const lines =
      error instanceof ContractsError ? (error.metaMessages ?? [error.shortMessage]) : [String(error)];
    problems.push(...lines.map((line) => `params.${line}`));
  }
  const deployment: Deployment = {
    version: 1,
    chainId: integer(record.chainId, 'chainId'),
    subnet: address(record.subnet, 'subnet'),
    token: address(record.token, 'token'),
    settlementLibrary: address(record.settlementLibrary, 'settlementLibrary'),
    deployer: address(record.deployer, 'deployer'),
    deployBlock: integer(record.deployBlock, 'deployBlock'),
    params: params as SubnetParams,
    tokenInfo: {
      name: text(tokenInfo.name, 'tokenInfo.name'),
      symbol: text(tokenInfo.symbol, 'tokenInfo.symbol'),
      genesisHolder: address(tokenInfo.genesisHolder, 'tokenInfo.genesisHolder'),
      genesisSupply,
    },
    transactions: {
      settlementLibrary: hash(transactions.settlementLibrary, 'transactions.settlementLibrary'),
      token: hash(transactions.token, 'transactions.token'),
      subnet: hash(transactions.subnet, 'transactions.subnet'),
    },
  };
  if (record.runConfigHash !== undefined) {
    deployment.runConfigHash = hash(record.runConfigHash, 'runConfigHash').toLowerCase() as Hash;
  }
  if (record.runConfig !== undefined) {
    if (
      typeof record.runConfig === 'object' &&
      record.runConfig !== null &&
      !Array.isArray(record.runConfig)
    ) {
      deployment.runConfig = record.runConfig as Record<string, unknown>;
    } else {
      problems.push('runConfig: expected an object (the run config JSON)');
    }
  }
  if (problems.length > 0) {
    throw new DeploymentFileError('Deployment file is invalid.', {
      metaMessages: problems,
      hint: 'Write it with the deploy script (packages/contracts/scripts/deploy.ts) or fix the listed fields.',
    });
  }
  return deployment;
}

/**
 * Reads and checks a deployment JSON file.
 *
 * @param parameters.path The file the deploy script wrote.
 * @returns The typed deployment.
 * @throws DeploymentFileError when the file is missing, not JSON, or malformed.
 * @example
 * const deployment = await loadDeployment({ path: '.devnet/deployment.json' });
 */
export async function loadDeployment(parameters: { path: string }): Promise<Deployment> {
  let text: string;
  try {
    text = await readFile(parameters.path, 'utf8');
  } catch (cause) {
    throw new DeploymentFileError('Cannot read the deployment file.', {
      cause,
      details: parameters.path,
      hint: 'Deploy first (npm run deploy -w @tessera/contracts) or pass the right path.',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new DeploymentFileError('The deployment file is not JSON.', { cause, details: parameters.path });
  }
  try {
    return parseDeployment(json);
  } catch (error) {
    if (error instanceof DeploymentFileError) {
      throw new DeploymentFileError(error.shortMessage, {
        details: parameters.path,
        metaMessages: error.metaMessages,
        hint: error.hint,
      });
    }
    throw error;
  }
}

/**
 * Writes a deployment JSON file, creating its folder.
 *
 * @example
 * await writeDeployment({ path: '.devnet/deployment.json', deployment });
 */
export async function writeDeployment(parameters: { path: string; deployment: Deployment }): Promise<void> {
  await mkdir(dirname(parameters.path), { recursive: true });
  await writeFile(parameters.path, serializeDeployment(parameters.deployment));
}
