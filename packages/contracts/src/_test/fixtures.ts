import {
  AbiCoder,
  Interface,
  JsonRpcProvider,
  JsonRpcSigner,
  Result,
  dataSlice,
  getAddress,
  hexlify,
  id,
  keccak256,
  parseEther,
  randomBytes,
} from 'ethers';
import type { ContractTransactionResponse, TransactionReceipt } from 'ethers';
import { connectSubnet, connectToken } from '../connectSubnet.js';
import type { SubnetContract, TokenContract } from '../connectSubnet.js';
import { deploySubnet } from '../deploySubnet.js';
import type { TokenSettings } from '../deploySubnet.js';
import { abi as subnetAbi } from '../generated/Subnet.js';
import { abi as tokenAbi } from '../generated/TesseraToken.js';
import type { Deployment } from '../loadDeployment.js';
import type { SubnetParamsInput } from '../resolveSubnetParams.js';
import { waitForReceipt } from '../waitForReceipt.js';
import { startAnvil } from '@tessera/devtools';
import type { Anvil, StartAnvilParameters } from '@tessera/devtools';

/** One token, 10^18 units. */
export const TOKEN = 10n ** 18n;

/** A running anvil with a deployed subnet and helpers to drive it. */
export type ChainFixture = {
  anvil: Anvil;
  provider: JsonRpcProvider;
  /** anvil's first dev account: deployer, owner and genesis holder. */
  deployer: JsonRpcSigner;
  deployment: Deployment;
  /** The Subnet, read-only (connect a signer to send). */
  subnet: SubnetContract;
  token: TokenContract;
  /** A fresh account with 1000 ether, sending through anvil's impersonation. */
  account(): Promise<JsonRpcSigner>;
  /** The Subnet connected to `signer`. */
  subnetAs(signer: JsonRpcSigner): SubnetContract;
  /** Transfers `amount` of genesis tokens to `to` and lets the Subnet spend them. */
  fundTokens(signer: JsonRpcSigner, amount: bigint): Promise<void>;
  blockNumber(): Promise<number>;
  /** Mines until the next block to be mined is `block` (no-op if already past it). */
  mineUntil(block: number): Promise<void>;
  snapshot(): Promise<string>;
  revert(snapshot: string): Promise<void>;
  stop(): Promise<void>;
};

/** Parameters of {@link setupChain}. */
export type SetupChainParameters = {
  params?: Partial<SubnetParamsInput>;
  token?: TokenSettings;
  anvil?: StartAnvilParameters;
};

let accountCounter = 0;

/**
 * Starts anvil (impersonation on) and deploys a subnet from its first dev account.
 *
 * @example
 * const chain = await setupChain({ params: { blocksPerWindow: 10 } });
 * afterAll(() => chain.stop());
 */
export async function setupChain(parameters: SetupChainParameters = {}): Promise<ChainFixture> {
  const anvil = await startAnvil({ autoImpersonate: true, ...parameters.anvil });
  const provider = new JsonRpcProvider(anvil.rpcUrl, anvil.chainId, {
    staticNetwork: true,
    cacheTimeout: -1,
    batchMaxCount: 1,
    pollingInterval: 20,
  });
  const [first] = await provider.send('eth_accounts', []);
  const deployer = new JsonRpcSigner(provider, getAddress(first as string));
  const deployment = await deploySubnet({
    signer: deployer,
    params: parameters.params,
    token: parameters.token,
  });
  const subnet = connectSubnet({ address: deployment.subnet, runner: provider });
  const token = connectToken({ address: deployment.token, runner: provider });

  return {
    anvil,
    provider,
    deployer,
    deployment,
    subnet,
    token,
    async account() {
      const address = getAddress(
        dataSlice(id(`tessera-test-account-${process.pid}-${accountCounter++}`), 12),
      );
      await provider.send('anvil_setBalance', [address, `0x${parseEther('1000').toString(16)}`]);
      return new JsonRpcSigner(provider, address);
    },
    subnetAs: (signer) => subnet.connect(signer),
    async fundTokens(signer, amount) {
      await mined(token.connect(deployer).transfer(signer.address, amount));
      await mined(token.connect(signer).approve(deployment.subnet, 2n ** 255n));
    },
    blockNumber: () => provider.getBlockNumber(),
    async mineUntil(block) {
      const next = (await provider.getBlockNumber()) + 1;
      if (block > next) await anvil.mine(block - next);
    },
    snapshot: () => provider.send('evm_snapshot', []) as Promise<string>,
    async revert(snapshot) {
      const ok = (await provider.send('evm_revert', [snapshot])) as boolean;
      if (!ok) throw new Error(`evm_revert(${snapshot}) failed`);
    },
    async stop() {
      provider.destroy();
      await anvil.stop();
    },
  };
}

/** Waits for a sent transaction and returns its receipt (throws when it reverted). */
export async function mined(pending: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const tx = await pending;
  const receipt = await waitForReceipt({ provider: tx.provider, hash: tx.hash, pollMs: 5 });
  if (receipt.status !== 1) throw new Error(`transaction ${tx.hash} reverted`);
  return receipt;
}

const errorInterface = new Interface([
  ...subnetAbi.filter((entry) => entry.type === 'error'),
  ...tokenAbi.filter((entry) => entry.type === 'error'),
]);

function revertData(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (value: unknown): string | undefined => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return undefined;
    seen.add(value);
    const record = value as Record<string, unknown>;
    if (typeof record.data === 'string' && /^0x[0-9a-f]{8}/i.test(record.data)) return record.data;
    for (const key of ['error', 'info', 'cause', 'data']) {
      const found = visit(record[key]);
      if (found) return found;
    }
    return undefined;
  };
  return visit(error);
}

/** The custom error a failed call or transaction reverted with, decoded. */
export async function revertOf(pending: Promise<unknown>): Promise<{ name: string; args: unknown[] }> {
  try {
    await pending;
  } catch (error) {
    const data = revertData(error);
    if (!data) throw new Error(`reverted without custom error data: ${(error as Error).message}`);
    const parsed = errorInterface.parseError(data);
    if (!parsed) throw new Error(`unknown revert data ${data}`);
    return { name: parsed.name, args: Array.from(parsed.args) };
  }
  throw new Error('expected a revert, but the call succeeded');
}

/** Asserts that `pending` reverts with custom error `name` (and `args`, when given). */
export async function expectRevert(pending: Promise<unknown>, name: string, args?: unknown[]): Promise<void> {
  const revert = await revertOf(pending);
  expect(revert.name).toBe(name);
  if (args) expect(revert.args).toEqual(args);
}

/** The decoded Subnet events of a receipt, by name. */
export function eventsOf(receipt: TransactionReceipt, name: string): Record<string, unknown>[] {
  const iface = new Interface(subnetAbi);
  const out: Record<string, unknown>[] = [];
  for (const log of receipt.logs) {
    const parsed = iface.parseLog({ topics: [...log.topics], data: log.data });
    if (parsed?.name !== name) continue;
    out.push(Object.fromEntries(parsed.fragment.inputs.map((input, i) => [input.name, parsed.args[i]])));
  }
  return out;
}

/** An ethers struct `Result` as a plain object by field name (for toEqual and toMatchObject). */
export function plain(value: unknown): Record<string, unknown> {
  if (!(value instanceof Result)) throw new Error('not an ethers Result');
  return plainValue(value) as Record<string, unknown>;
}

/** Named Results become objects, unnamed ones (lists) arrays, all the way down. */
function plainValue(value: unknown): unknown {
  if (!(value instanceof Result)) return value;
  let named: Record<string, unknown> | undefined;
  try {
    named = value.length > 0 ? (value.toObject(false) as Record<string, unknown>) : undefined;
  } catch {
    named = undefined;
  }
  if (!named || Object.keys(named).some((key) => key === '_' || /^\d+$/.test(key)))
    return Array.from(value, plainValue);
  return Object.fromEntries(Object.entries(named).map(([key, v]) => [key, plainValue(v)]));
}

/**
 * What commitWeights takes, written out with ethers' ABI coder (the contract recomputes it at
 * reveal): keccak256(abi.encode(address validator, uint64 epoch, uint16[] uids, uint16[] weights, bytes32 salt)).
 */
export function weightsHash(parameters: {
  validator: string;
  epoch: bigint | number;
  uids: readonly number[];
  weights: readonly number[];
  salt: string;
}): string {
  const { validator, epoch, uids, weights, salt } = parameters;
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ['address', 'uint64', 'uint16[]', 'uint16[]', 'bytes32'],
      [validator, epoch, uids, weights, salt],
    ),
  );
}

/** Weights committed for `epoch` and not revealed yet. */
export type PendingWeights = {
  signer: JsonRpcSigner;
  epoch: bigint;
  uids: number[];
  weights: number[];
  salt: string;
  receipt: TransactionReceipt;
};

/** Commits `weights` on `uids` for the epoch of the block the transaction lands in (the next one). */
export async function commitWeights(parameters: {
  subnet: SubnetContract;
  signer: JsonRpcSigner;
  uids: number[];
  weights: number[];
  salt?: string | undefined;
}): Promise<PendingWeights> {
  const { subnet, signer, uids, weights } = parameters;
  const provider = signer.provider;
  const next = (await provider.getBlockNumber()) + 1;
  const epoch = (await subnet.windowOf(next)) / (await subnet.params()).windowsPerEpoch;
  const salt = parameters.salt ?? hexlify(randomBytes(32));
  const hash = weightsHash({ validator: signer.address, epoch, uids, weights, salt });
  const receipt = await mined(subnet.connect(signer).commitWeights(hash));
  return { signer, epoch, uids, weights, salt, receipt };
}

/** Reveals what {@link commitWeights} committed. */
export function revealWeights(subnet: SubnetContract, pending: PendingWeights): Promise<TransactionReceipt> {
  return mined(
    subnet.connect(pending.signer).revealWeights(pending.epoch, pending.uids, pending.weights, pending.salt),
  );
}

/**
 * Sets weights for the current epoch the commit-reveal way: commits every entry now, mines to
 * the first block of the next epoch and reveals them all there.
 *
 * @returns The pending commits, revealed.
 */
export async function commitAndReveal(
  subnet: SubnetContract,
  entries: readonly { signer: JsonRpcSigner; uids: number[]; weights: number[] }[],
  mineUntil: (block: number) => Promise<void>,
): Promise<PendingWeights[]> {
  const pending: PendingWeights[] = [];
  for (const entry of entries) pending.push(await commitWeights({ subnet, ...entry }));
  const epoch = pending[0]?.epoch;
  if (epoch === undefined) return pending;
  if (pending.some((p) => p.epoch !== epoch)) throw new Error('the commits fell into different epochs');
  await mineUntil(Number(await subnet.epochEndBlock(epoch)));
  for (const p of pending) await revealWeights(subnet, p);
  return pending;
}

/** Settles, in order, every epoch whose settlement opens by the block the next transaction lands in. */
export async function settleDue(subnet: SubnetContract, signer: JsonRpcSigner): Promise<number[]> {
  const settled: number[] = [];
  for (;;) {
    const next = await subnet.nextEpoch();
    const landsAt = (await signer.provider.getBlockNumber()) + 1;
    if (landsAt < Number(await subnet.epochEndBlock(next + 1n))) return settled;
    await mined(subnet.connect(signer).settleEpoch(next));
    settled.push(Number(next));
  }
}

/**
 * The chain of a test file: set up once before its tests (`setupChain`), brought back to that
 * state after each test (an anvil snapshot taken before it, reverted after it) and stopped at
 * the end. The object is filled in by the `beforeAll` this registers, so use it in hooks and
 * tests, not at the top level.
 *
 * @example
 * const chain = useChain({ params: { blocksPerWindow: 10 } });
 * it('registers', async () => { await chain.subnetAs(await chain.account()).registerMiner(); });
 */
export function useChain(parameters: SetupChainParameters = {}): ChainFixture {
  const fixture = {} as ChainFixture;
  let snapshot: string | undefined;
  beforeAll(async () => {
    Object.assign(fixture, await setupChain(parameters));
  });
  afterAll(() => fixture.stop?.());
  beforeEach(async () => {
    snapshot = await fixture.snapshot();
  });
  afterEach(() => fixture.revert(snapshot!));
  return fixture;
}
