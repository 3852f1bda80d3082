import { setMaxListeners } from 'node:events';
import { connectSubnet, connectToken } from '@tessera/contracts';
import type { SubnetParams } from '@tessera/contracts';
import {
  FetchRequest,
  JsonRpcProvider,
  Network,
  Wallet,
  ZeroAddress,
  getAddress,
  hexlify,
  randomBytes,
  zeroPadValue,
} from 'ethers';
import type { ContractTransaction, Signer, TransactionReceipt } from 'ethers';
import { silentLogger } from '../../common/logger.js';
import { sleep } from '../../common/shutdown.js';
import { NonRetryableChainError } from '../../errors/chain.js';
import { epochOfWindow } from '../../protocol/epochOfWindow.js';
import { startBlockOfEpoch } from '../../protocol/startBlockOfEpoch.js';
import { startBlockOfWindow } from '../../protocol/startBlockOfWindow.js';
import { windowOfBlock } from '../../protocol/windowOfBlock.js';
import { checkNormBound, float32ToBits } from '../checkNormBound.js';
import { retryChainCall } from '../retryChainCall.js';
import { toU16Weights } from '../toU16Weights.js';
import type {
  Address,
  Aggregate,
  Checkpoint,
  Commitment,
  Hex32,
  Metagraph,
  RegisterOutcome,
  RevealedWeights,
  SettleOutcome,
  SubnetTiming,
  TxReceipt,
} from '../types.js';
import { checkInput } from '../checkInput.js';
import { createEvmRevealStore } from './createEvmRevealStore.js';
import { createTxSender } from './createTxSender.js';
import { estimateEvmWrite } from './estimateEvmWrite.js';
import { evmWeightCommitHash } from './evmWeightCommitHash.js';
import type { TxSender } from './createTxSender.js';
import {
  parseAggregate,
  parseCheckpoint,
  parseCommitment,
  parseNeuron,
  parseRevealedWeights,
  parseSubnetParams,
} from './parseViews.js';
import { evmSubnetId } from './evmSubnetId.js';
import { probeChainId } from './probeChainId.js';
import { readReply } from './readReply.js';
import { selectEvmLeadAggregate } from './selectEvmLeadAggregate.js';
import { toEvmChainError } from './toEvmChainError.js';
import type { CreateEvmChainParameters, EvmChain, EvmPendingReveal } from './types.js';

/**
 * Connects to an EVM node and returns Tessera's {@link SubnetChain} over a deployed Subnet
 * contract (ethers v6), plus staking, the subnet's parameters and the typed contract.
 *
 * - Reads go through one `JsonRpcProvider` (no response cache, static network), are retried
 *   with exponential backoff and jitter on RPC faults (bounded attempts, stopped by `signal`),
 *   and every reply is checked (addresses, bytes32, ranges) before it is converted: blocks,
 *   windows and uids to numbers, amounts to bigints, incentive and dividends from 1e9 to [0, 1].
 * - Writes estimate gas (a revert is decoded to its custom error and thrown as NonRetryable
 *   with the name as `chainCode`), take the next nonce from one queue per account, broadcast
 *   and wait for inclusion (see `createTxSender`).
 * - `aggregate({ window })` follows the lead validator: among the aggregates published for the
 *   window before window+2 started, the one whose publisher has the highest stake (read at the
 *   same block), ties to the lowest uid.
 * - `setWeights` commits u16 weights max-upscaled (largest = 65535; the Subnet normalizes each
 *   row by its sum at settlement, so the scale is free and this keeps the most precision) with
 *   `commitWeights(evmWeightCommitHash(...))` for the epoch of the next block, keeping uids,
 *   values and a random 32-byte salt in the reveal store (`revealStatePath`, in memory without
 *   it). It reveals due commits first. A commit that lands in a later epoch than it was hashed
 *   for could never be revealed; it is committed again for the epoch it landed in once the rate
 *   limit allows, while that epoch lasts.
 * - `revealPendingWeights()` reveals every stored commit of epoch e while the chain is in epoch
 *   e + 1 and drops those that can no longer be revealed.
 * - Writes return typed outcomes: a revert `Subnet__AlreadyRegistered` (or a uid held before),
 *   `Subnet__AlreadyCommitted` and `Subnet__AlreadyPublished` become `already-registered` (with
 *   the uid), `already-committed` and `already-published`; every other revert throws `rejected`.
 * - `settleEpoch({ epoch })` checks `nextEpoch()` and the settlement's opening block
 *   (`epochEndBlock(epoch + 1)`) first; it settles any earlier unsettled epochs before `epoch`
 *   (settlement must go in order) and returns `already-settled` or `not-open` when there is
 *   nothing to send. When the transaction reverts because another settled first or the state
 *   moved, it re-reads, and estimates and sends once more when still needed.
 *
 * @param parameters The RPC URL, the deployment, the key (or none for a read-only chain) and tuning.
 * @returns The chain; call `disconnect()` when done.
 * @throws ChainError `invalid-parameter` or `bad-signer` for bad parameters, `not-found` when no
 *   contract is deployed at the Subnet's address, a Retryable `connection` error when the node
 *   cannot be reached after the retry attempts.
 * @example
 * const chain = await createEvmChain({ rpcUrl: 'http://127.0.0.1:8545', deployment, privateKey: process.env.TESSERA_KEY });
 * const { uid } = await chain.registerMiner();
 * await chain.commit({ window, digest, uri, modelHash });
 * await chain.disconnect();
 */
export async function createEvmChain(parameters: CreateEvmChainParameters): Promise<EvmChain> {
  const options = resolveOptions(parameters);
  const { retry, pollMs } = options;
  const reveals = createEvmRevealStore({ path: options.revealStatePath });
  const logger = (parameters.logger ?? silentLogger).child({ chain: 'evm' });
  const closing = new AbortController();
  // Every wait of every caller listens to it; a devnet has dozens at once.
  setMaxListeners(0, closing.signal);
  if (parameters.signal) {
    if (parameters.signal.aborted) closing.abort(parameters.signal.reason);
    else
      parameters.signal.addEventListener('abort', () => closing.abort(parameters.signal?.reason), {
        once: true,
      });
  }
  const read = <T>(action: string, run: () => Promise<T>) =>
    retryChainCall({ action, run, retry, logger, signal: closing.signal, classify: toEvmChainError });

  const fetchRequest = new FetchRequest(options.rpcUrl);
  fetchRequest.timeout = options.rpcTimeoutMs;
  // Rate limits (HTTP 429) come back to our own bounded backoff instead of ethers' long internal one.
  fetchRequest.retryFunc = async () => false;
  const chainId = await read('reach the node', () => probeChainId({ request: fetchRequest }));
  if (parameters.deployment.chainId !== undefined && parameters.deployment.chainId !== chainId) {
    throw new NonRetryableChainError(
      'invalid-parameter',
      'The node serves another chain than the deployment.',
      {
        details: `node chain id ${chainId}, deployment chain id ${parameters.deployment.chainId}`,
        hint: 'Point rpcUrl at the chain the subnet was deployed on, or use that chain’s deployment file.',
      },
    );
  }
  const network = Network.from(chainId);
  const provider = new JsonRpcProvider(fetchRequest, network, {
    staticNetwork: network,
    cacheTimeout: -1,
    batchMaxCount: 1,
    pollingInterval: pollMs,
  });
  const subnetAddress = options.subnet;
  const subnet = connectSubnet({ address: subnetAddress, runner: provider });

  let tokenAddress: Address;
  let signer: Signer | undefined;
  let address: Address;
  try {
    const code = await read('read the Subnet contract', () => provider.getCode(subnetAddress));
    if (code === '0x') {
      throw new NonRetryableChainError(
        'not-found',
        `No contract is deployed at the Subnet address ${subnetAddress}.`,
        {
          details: `chain id ${chainId}`,
          hint: 'Check the deployment file and the RPC URL (a restarted devnet forgets its contracts).',
        },
      );
    }
    tokenAddress =
      options.token ?? readReply.address(await read('read the token address', () => subnet.token()), 'token');
    signer = resolveSigner(parameters, provider);
    address = signer ? (getAddress(await signer.getAddress()) as Address) : options.address;
    if (signer && parameters.address !== undefined && getAddress(parameters.address) !== address) {
      throw new NonRetryableChainError('invalid-parameter', 'address differs from the signer’s address.', {
        details: `${parameters.address} vs ${address}`,
      });
    }
  } catch (error) {
    provider.destroy();
    throw toEvmChainError(error, 'connect to the Subnet');
  }
  const token = connectToken({ address: tokenAddress, runner: provider });
  const sender: TxSender | undefined = signer
    ? createTxSender({
        provider,
        signer,
        address,
        logger,
        retry,
        pollMs,
        txTimeoutMs: options.txTimeoutMs,
        gasHeadroomPercent: options.gasHeadroomPercent,
        signal: closing.signal,
      })
    : undefined;
  logger.info('evm backend ready', {
    chainId,
    subnet: subnetAddress,
    token: tokenAddress,
    address,
    canSign: !!signer,
  });

  // ---- plumbing --------------------------------------------------------------------------

  const write = async (
    action: string,
    populate: Promise<ContractTransaction>,
  ): Promise<TransactionReceipt> => {
    if (!sender) {
      throw new NonRetryableChainError(
        'bad-signer',
        `Cannot ${action}: this chain was created without a key.`,
        {
          hint: 'Pass privateKey or signer to createEvmChain.',
        },
      );
    }
    return sender.send({ action, request: await populate });
  };

  let paramsRead: Promise<Readonly<SubnetParams>> | undefined;
  const params = (): Promise<Readonly<SubnetParams>> => {
    paramsRead ??= read('read the subnet parameters', () => subnet.params()).then(parseSubnetParams);
    paramsRead.catch(() => (paramsRead = undefined));
    return paramsRead;
  };

  const timing = async (): Promise<SubnetTiming> => {
    const p = await params();
    return {
      startBlock: p.startBlock,
      blocksPerWindow: p.blocksPerWindow,
      windowsPerEpoch: p.windowsPerEpoch,
      deadlineGraceBlocks: p.deadlineGraceBlocks,
    };
  };

  const blockNumber = async (): Promise<number> =>
    readReply.uint(await read('read the head block', () => provider.getBlockNumber()), 'block number');

  const uidOf = async (who?: Address): Promise<number | undefined> => {
    const account = who === undefined ? address : checkInput.address(who, 'address');
    const [registered, uid] = await read('read a uid', () => subnet.uidOf(account));
    return readReply.boolean(registered, 'uidOf.registered')
      ? readReply.uint(uid, 'uidOf.uid', 0xffff)
      : undefined;
  };

  /**
   * Sends a registration unless the account holds a uid already; a registration that lost a
   * race (`Subnet__AlreadyRegistered`) reads the uid it holds.
   */
  const registerWith = async (send: () => Promise<TransactionReceipt>): Promise<RegisterOutcome> => {
    const existing = await uidOf();
    if (existing !== undefined) return { status: 'already-registered', uid: existing };
    try {
      const receipt = await send();
      return { status: 'registered', uid: await registeredUid(receipt), receipt: toTxReceipt(receipt) };
    } catch (error) {
      if (toEvmChainError(error, 'register').chainCode !== 'Subnet__AlreadyRegistered') throw error;
      const uid = await uidOf();
      if (uid === undefined) throw error;
      return { status: 'already-registered', uid };
    }
  };

  /** Runs `send`; a revert named `code` becomes `outcome` instead of an error. */
  const unlessReverted = async <T, O>(send: () => Promise<T>, code: string, outcome: O): Promise<T | O> => {
    try {
      return await send();
    } catch (error) {
      if (toEvmChainError(error, 'send').chainCode === code) return outcome;
      throw error;
    }
  };

  /** The uid a `Registered` event of `receipt` gave this account. */
  const registeredUid = async (receipt: TransactionReceipt): Promise<number> => {
    for (const log of receipt.logs) {
      if (getAddress(log.address) !== subnetAddress) continue;
      const parsed = subnet.interface.parseLog({ topics: [...log.topics], data: log.data });
      if (parsed?.name === 'Registered' && getAddress(parsed.args.hotkey as string) === address)
        return readReply.uint(parsed.args.uid, 'Registered.uid', 0xffff);
    }
    const uid = await uidOf();
    if (uid === undefined)
      throw new NonRetryableChainError('bad-response', 'Registration succeeded but the account has no uid.');
    return uid;
  };

  const tokenBalance = async (who?: Address): Promise<bigint> => {
    const account = who === undefined ? address : checkInput.address(who, 'address');
    return readReply.amount(await read('read a token balance', () => token.balanceOf(account)), 'balanceOf');
  };

  // approve + stake must not interleave: two concurrent approvals of exact amounts would overwrite each other.
  let staking: Promise<unknown> = Promise.resolve();
  const withTokens = <T>(amount: bigint, action: string, run: () => Promise<T>): Promise<T> => {
    const next = staking.then(async () => {
      const balance = await tokenBalance();
      if (balance < amount) {
        throw new NonRetryableChainError(
          'insufficient-funds',
          `The account holds too few tokens to ${action}.`,
          {
            details: `balance ${balance}, needed ${amount}`,
            hint: 'Acquire tokens first (on a devnet the deployer holds the genesis supply).',
          },
        );
      }
      const allowance = readReply.amount(
        await read('read the token allowance', () => token.allowance(address, subnetAddress)),
        'allowance',
      );
      if (allowance < amount)
        await write(
          'approve the Subnet to take the stake',
          token.approve.populateTransaction(subnetAddress, amount),
        );
      return run();
    });
    staking = next.catch(() => undefined);
    return next;
  };

  const stakeOn = async (validatorUid: number, amount: bigint, action: string): Promise<TxReceipt> =>
    toTxReceipt(
      await withTokens(amount, action, () =>
        write(action, subnet.stake.populateTransaction(validatorUid, amount)),
      ),
    );

  /** Reads at `blockTag`; falls back to the head when the node pruned that block's state. */
  const atBlock = async <T>(
    blockTag: number,
    head: number,
    run: (tag: number) => Promise<T>,
  ): Promise<{ value: T; tag: number }> => {
    try {
      return { value: await run(blockTag), tag: blockTag };
    } catch (error) {
      const classified = toEvmChainError(error, `read the state of block ${blockTag}`);
      if (classified.reason !== 'state-pruned' || blockTag === head) throw classified;
      logger.warn('state pruned, reading the head instead', { block: blockTag, head });
      return { value: await run(head), tag: head };
    }
  };

  /** What the Subnet has credited `account` and not yet paid out. */
  const pendingRewardsOf = async (account: Address): Promise<bigint> =>
    readReply.amount(
      await read('read pending rewards', () => subnet.pendingRewards(account)),
      'pendingRewards',
    );
  const claimedCache = new Map<Address, { through: number; claimed: bigint }>();
  const claimedTopic = subnet.interface.getEvent('Claimed')!.topicHash;
  const claimedOf = async (account: Address): Promise<bigint> => {
    const head = await blockNumber();
    const cached = claimedCache.get(account) ?? { through: options.deployBlock - 1, claimed: 0n };
    for (let from = cached.through + 1; from <= head; from += options.logRangeBlocks) {
      const to = Math.min(head, from + options.logRangeBlocks - 1);
      const logs = await read('read claimed rewards', () =>
        provider.getLogs({
          address: subnetAddress,
          topics: [claimedTopic, zeroPadValue(account, 32)],
          fromBlock: from,
          toBlock: to,
        }),
      );
      let claimed = cached.claimed;
      for (const log of logs) {
        const parsed = subnet.interface.parseLog({ topics: [...log.topics], data: log.data });
        if (parsed?.name === 'Claimed') claimed += readReply.amount(parsed.args.amount, 'Claimed.amount');
      }
      cached.claimed = claimed;
      cached.through = to;
      claimedCache.set(account, { ...cached });
    }
    return cached.claimed;
  };

  const nextEpochToSettle = async (): Promise<number> =>
    readReply.uint(await read('read the next epoch to settle', () => subnet.nextEpoch()), 'nextEpoch');

  /** Settles `epoch`; already-settled when someone else did. A revert caused by a race is retried once. */
  const settleOne = async (epoch: number): Promise<SettleOutcome> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const receipt = await write(`settle epoch ${epoch}`, subnet.settleEpoch.populateTransaction(epoch));
        return { status: 'settled', receipt: toTxReceipt(receipt) };
      } catch (error) {
        const classified = toEvmChainError(error, 'settle');
        if (classified.chainCode === 'Subnet__EpochAlreadySettled') return { status: 'already-settled' };
        // Reverted at estimation or on chain: another settlement may have landed first, or the
        // state moved under the estimate (more uids, more gas). Read again before deciding.
        if (classified.reason !== 'rejected') throw error;
        if ((await nextEpochToSettle()) > epoch) {
          logger.info('epoch settled by someone else', { epoch });
          return { status: 'already-settled' };
        }
        if (attempt >= 2) throw error;
        logger.warn('settlement reverted; estimating and sending again', {
          epoch,
          chainCode: classified.chainCode,
          error: classified.details ?? classified.shortMessage,
        });
      }
    }
  };

  // ---- weights ---------------------------------------------------------------------------

  /** The epoch of `block` by the Subnet's clock. */
  const epochOf = async (block: number): Promise<number> => {
    const t = await timing();
    if (block < t.startBlock) {
      throw new NonRetryableChainError('invalid-parameter', 'The subnet has not started yet.', {
        details: `block ${block}, start block ${t.startBlock}`,
      });
    }
    return epochOfWindow({ window: windowOfBlock({ block, ...t }), windowsPerEpoch: t.windowsPerEpoch });
  };

  const ownReveals = () =>
    reveals.list().filter((r) => r.subnet === subnetAddress && r.validator === address);

  /** The epoch a WeightsCommitted event of `receipt` recorded, if any. */
  const committedEpoch = (receipt: TransactionReceipt): number | undefined => {
    for (const log of receipt.logs) {
      if (getAddress(log.address) !== subnetAddress) continue;
      const parsed = subnet.interface.parseLog({ topics: [...log.topics], data: log.data });
      if (parsed?.name === 'WeightsCommitted')
        return readReply.uint(parsed.args.epoch, 'WeightsCommitted.epoch');
    }
    return undefined;
  };

  /** Commits `vector` for `epoch` and stores what its reveal needs. */
  const commitFor = async (
    epoch: number,
    vector: { uids: number[]; values: number[] },
  ): Promise<{ receipt: TransactionReceipt; pending: EvmPendingReveal }> => {
    const salt = hexlify(randomBytes(32)) as Hex32;
    const hash = evmWeightCommitHash({
      validator: address,
      epoch,
      uids: vector.uids,
      weights: vector.values,
      salt,
    });
    const receipt = await write(
      `commit weights on ${vector.uids.length} uids for epoch ${epoch}`,
      subnet.commitWeights.populateTransaction(hash),
    );
    const pending: EvmPendingReveal = {
      subnet: subnetAddress,
      validator: address,
      epoch,
      hash,
      uids: vector.uids,
      values: vector.values,
      salt,
      commitBlock: receipt.blockNumber,
    };
    return { receipt, pending };
  };

  let revealing: Promise<TxReceipt[]> | undefined;
  const revealPendingWeights = (): Promise<TxReceipt[]> => {
    // One pass at a time: two would send the same reveal twice.
    revealing ??= (async () => {
      try {
        return await revealDue();
      } finally {
        revealing = undefined;
      }
    })();
    return revealing;
  };

  const revealDue = async (): Promise<TxReceipt[]> => {
    const pendingList = ownReveals();
    if (pendingList.length === 0) return [];
    const head = await blockNumber();
    const current = await epochOf(head + 1);
    const receipts: TxReceipt[] = [];
    let failure: unknown;
    for (const pending of pendingList.sort((a, b) => a.epoch - b.epoch)) {
      if (current <= pending.epoch) continue;
      if (current > pending.epoch + 1) {
        logger.warn('weight commit expired before it was revealed', {
          epoch: pending.epoch,
          hash: pending.hash,
        });
        reveals.remove(pending.hash);
        continue;
      }
      try {
        const receipt = await write(
          `reveal the weights of epoch ${pending.epoch}`,
          subnet.revealWeights.populateTransaction(pending.epoch, pending.uids, pending.values, pending.salt),
        );
        reveals.remove(pending.hash);
        receipts.push(toTxReceipt(receipt));
        logger.info('weights revealed', { epoch: pending.epoch, block: receipt.blockNumber });
      } catch (error) {
        const code = toEvmChainError(error, 'reveal weights').chainCode ?? '';
        if (code === 'Subnet__WeightsAlreadyRevealed') {
          reveals.remove(pending.hash);
          continue;
        }
        // A commit the chain no longer holds, or holds with another hash, cannot be revealed later either.
        if (/NoWeightsCommit|RevealMismatch|RevealTooLate|NotRegistered/.test(code)) {
          logger.warn('weight commit cannot be revealed; dropping it', {
            epoch: pending.epoch,
            chainCode: code,
          });
          reveals.remove(pending.hash);
        }
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
    return receipts;
  };

  const setWeights = async ({ uids, weights }: { uids: number[]; weights: number[] }): Promise<TxReceipt> => {
    const vector = toU16Weights({ uids, weights });
    await revealPendingWeights().catch((error: unknown) =>
      logger.warn('revealing earlier weights failed', { error: toEvmChainError(error, 'reveal weights') }),
    );
    const epoch = await epochOf((await blockNumber()) + 1);
    let { receipt, pending } = await commitFor(epoch, vector);
    const landed = committedEpoch(receipt) ?? (await epochOf(receipt.blockNumber));
    if (landed !== epoch) {
      // Hashed for one epoch, stored under the next: commit again for the epoch it landed in.
      logger.warn('weight commit landed in the next epoch; committing again for it', {
        hashedFor: epoch,
        landed,
      });
      const { weightsRateLimit } = await params();
      const t = await timing();
      const retryAt = receipt.blockNumber + weightsRateLimit;
      const epochEnd = startBlockOfEpoch({ epoch: landed + 1, ...t });
      if (retryAt >= epochEnd) {
        throw new NonRetryableChainError(
          'rejected',
          `The weight commit landed in epoch ${landed} instead of ${epoch} and cannot be replaced before that epoch ends.`,
          { details: `commit block ${receipt.blockNumber}, rate limit ${weightsRateLimit} blocks` },
        );
      }
      await chain.waitForBlock({ block: retryAt - 1 });
      ({ receipt, pending } = await commitFor(landed, vector));
    }
    // The new commit replaces any earlier one of its epoch on chain: forget their salts.
    for (const old of ownReveals()) if (old.epoch === pending.epoch) reveals.remove(old.hash);
    reveals.add(pending);
    logger.info('weights committed', {
      epoch: pending.epoch,
      block: receipt.blockNumber,
      uids: vector.uids.length,
    });
    return toTxReceipt(receipt);
  };

  const revealedWeights = async ({ epoch }: { epoch: number }): Promise<RevealedWeights[]> => {
    const e = checkInput.uint(epoch, 'epoch');
    const views = await read(`read the weights revealed for epoch ${e}`, () => subnet.revealedWeights(e));
    return Array.from(views, parseRevealedWeights).sort((a, b) => a.validatorUid - b.validatorUid);
  };

  let disconnected: Promise<void> | undefined;

  // ---- the interface ---------------------------------------------------------------------

  const chain: EvmChain = {
    kind: 'evm',
    subnetId: evmSubnetId({ chainId, subnet: subnetAddress }),
    address,
    chainId,
    subnetAddress,
    tokenAddress,
    provider,
    subnet,
    canSign: sender !== undefined,

    params,
    timing,
    runConfigHash: async () => {
      const hash = readReply.hex32(
        await read('read the run config hash', () => subnet.runConfigHash()),
        'runConfigHash',
      );
      return /^0x0{64}$/.test(hash) ? undefined : hash;
    },
    blockNumber,
    blockHash: async (block) => {
      checkInput.uint(block, 'block');
      const found = await read(`read block ${block}`, () => provider.getBlock(block));
      if (!found) {
        const head = await blockNumber();
        throw new NonRetryableChainError('not-found', `Block ${block} is not known yet.`, {
          details: `head ${head}`,
          hint: 'Wait for it first: waitForBlock({ block }).',
        });
      }
      return readReply.hex32(found.hash, `block ${block} hash`);
    },
    waitForBlock: async ({ block, signal, pollMs: every }) => {
      checkInput.uint(block, 'block');
      const interval = every === undefined ? pollMs : checkInput.uint(every, 'pollMs');
      const stop = signal ? AbortSignal.any([closing.signal, signal]) : closing.signal;
      for (;;) {
        if (stop.aborted) throw toEvmChainError(stop.reason, `wait for block ${block}`);
        const head = await blockNumber();
        if (head >= block) return head;
        try {
          await sleep(interval, stop);
        } catch (error) {
          throw toEvmChainError(error, `wait for block ${block}`);
        }
      }
    },

    metagraph: async (): Promise<Metagraph> => {
      const block = await blockNumber();
      const views = await read('read the metagraph', () => subnet.metagraph({ blockTag: block }));
      return { block, neurons: Array.from(views, parseNeuron) };
    },
    uidOf,

    registerMiner: () =>
      registerWith(async () => {
        const { registrationBurn } = await params();
        return write(
          'register as a miner',
          subnet.registerMiner.populateTransaction({ value: registrationBurn }),
        );
      }),
    registerValidator: async ({ stake }) => {
      const amount = checkInput.amount(stake, 'stake');
      return registerWith(() =>
        withTokens(amount, 'register as a validator', () =>
          write('register as a validator', subnet.registerValidator.populateTransaction(amount)),
        ),
      );
    },
    delegate: ({ validatorUid, amount }) =>
      stakeOn(
        checkInput.uid(validatorUid, 'validatorUid'),
        checkInput.amount(amount, 'amount'),
        `delegate to uid ${validatorUid}`,
      ),
    stake: async ({ amount, validatorUid }) => {
      const value = checkInput.amount(amount, 'amount');
      let target = validatorUid === undefined ? undefined : checkInput.uid(validatorUid, 'validatorUid');
      target ??= await uidOf();
      if (target === undefined) {
        throw new NonRetryableChainError('not-registered', 'This account has no uid to stake on.', {
          hint: 'Register as a validator first, or pass validatorUid to delegate.',
        });
      }
      return stakeOn(target, value, `stake on uid ${target}`);
    },
    unstake: async ({ validatorUid, amount }) => {
      const uid = checkInput.uid(validatorUid, 'validatorUid');
      const value = checkInput.amount(amount, 'amount');
      return toTxReceipt(
        await write(`unstake from uid ${uid}`, subnet.unstake.populateTransaction(uid, value)),
      );
    },
    tokenBalance: (options) => tokenBalance(options?.address),

    commit: async ({ window, digest, uri, modelHash }) => {
      const w = checkInput.uint(window, 'window');
      const d = checkInput.hex32(digest, 'digest');
      const m = checkInput.hex32(modelHash, 'modelHash');
      const u = checkInput.uri(uri, 'uri', (await params()).maxUriLength, false);
      return unlessReverted(
        async () => ({
          status: 'committed' as const,
          receipt: toTxReceipt(
            await write(`commit for window ${w}`, subnet.commit.populateTransaction(w, d, u, m)),
          ),
        }),
        'Subnet__AlreadyCommitted',
        { status: 'already-committed' as const },
      );
    },
    commitments: async ({ window }): Promise<Commitment[]> => {
      const w = checkInput.uint(window, 'window');
      const views = await read(`read the commitments of window ${w}`, () => subnet.getCommitments(w));
      return Array.from(views, (view) => parseCommitment(view, w)).sort((a, b) => a.uid - b.uid);
    },

    publishAggregate: async ({ window, uids, modelHash, normBound, uri }) => {
      const w = checkInput.uint(window, 'window');
      const set = checkInput.uids(uids, 'uids');
      const m = checkInput.hex32(modelHash, 'modelHash');
      const bits = float32ToBits(checkNormBound(normBound, 'normBound'));
      const u = checkInput.uri(uri, 'uri', (await params()).maxUriLength, true);
      return unlessReverted(
        async () => ({
          status: 'published' as const,
          receipt: toTxReceipt(
            await write(
              `publish the aggregate of window ${w}`,
              subnet.publishAggregate.populateTransaction(w, set, m, bits, u),
            ),
          ),
        }),
        'Subnet__AlreadyPublished',
        { status: 'already-published' as const },
      );
    },
    aggregate: async ({ window }): Promise<Aggregate | undefined> => {
      const w = checkInput.uint(window, 'window');
      const t = await timing();
      const cutoff = startBlockOfWindow({ window: w + 2, ...t });
      const head = await blockNumber();
      const { value, tag } = await atBlock(Math.min(head, cutoff - 1), head, (blockTag) =>
        read(`read the aggregates of window ${w}`, () =>
          Promise.all([subnet.getAggregates(w, { blockTag }), subnet.metagraph({ blockTag })]),
        ),
      );
      const [aggregateViews, neuronViews] = value;
      const stakes = new Map<Address, bigint>();
      for (const neuron of Array.from(neuronViews, parseNeuron))
        if (neuron.isValidator) stakes.set(neuron.hotkey, neuron.stake);
      const lead = selectEvmLeadAggregate({
        aggregates: Array.from(aggregateViews, parseAggregate),
        stakes,
        beforeBlock: tag >= cutoff ? cutoff : undefined,
      });
      if (!lead) return undefined;
      const { validatorUid: _publisher, ...aggregate } = lead;
      return aggregate;
    },
    publishCheckpoint: async ({ window, modelHash, uri }) => {
      const w = checkInput.uint(window, 'window');
      const m = checkInput.hex32(modelHash, 'modelHash');
      const u = checkInput.uri(uri, 'uri', (await params()).maxUriLength, false);
      const receipt = await write(
        `publish the checkpoint of window ${w}`,
        subnet.publishCheckpoint.populateTransaction(w, m, u),
      );
      return { status: 'published', receipt: toTxReceipt(receipt) };
    },
    latestCheckpoint: async (): Promise<Checkpoint | undefined> => {
      const [found, view] = await read('read the latest checkpoint', () => subnet.latestCheckpoint());
      return readReply.boolean(found, 'latestCheckpoint.found') ? parseCheckpoint(view) : undefined;
    },

    setWeights,
    revealPendingWeights: async () => {
      await revealPendingWeights();
    },
    revealedWeights,
    settleEpoch: async ({ epoch }) => {
      const target = checkInput.uint(epoch, 'epoch');
      const [next, opens, head] = await Promise.all([
        nextEpochToSettle(),
        read(`read when the settlement of epoch ${target} opens`, () =>
          subnet.epochEndBlock(target + 1),
        ).then((n) => readReply.uint(n, 'epochEndBlock')),
        blockNumber(),
      ]);
      if (target < next) return { status: 'already-settled' };
      // The next transaction lands in block head + 1 at the earliest.
      if (head + 1 < opens) return { status: 'not-open', opensAt: opens };
      for (let earlier = next; earlier < target; earlier++) {
        logger.info('settling an earlier epoch first', { epoch: earlier, target });
        const earlierOutcome = await settleOne(earlier);
        if (earlierOutcome.status !== 'settled' && earlierOutcome.status !== 'already-settled')
          return earlierOutcome;
      }
      return settleOne(target);
    },
    rewards: async (options) => {
      const account =
        options?.address === undefined ? address : checkInput.address(options.address, 'address');
      const [claimable, claimed] = await Promise.all([pendingRewardsOf(account), claimedOf(account)]);
      return { claimable, claimed };
    },
    claim: async () => toTxReceipt(await write('claim rewards', subnet.claim.populateTransaction())),
    balance: async () => {
      const [tokens, ether] = await Promise.all([
        tokenBalance(),
        read('read an ether balance', () => provider.getBalance(address)),
      ]);
      return { token: tokens, fees: readReply.amount(ether, 'getBalance') };
    },
    estimateWrite: (write) =>
      estimateEvmWrite({
        write,
        provider,
        subnet,
        token,
        subnetAddress,
        address,
        read,
        params,
        uidOf: () => uidOf(),
        metagraph: () => chain.metagraph(),
        pendingRewards: () => pendingRewardsOf(address),
        balance: () => chain.balance!(),
      }),

    disconnect: () => {
      disconnected ??= (async () => {
        closing.abort();
        await sender?.idle();
        provider.destroy();
        logger.debug('disconnected');
      })();
      return disconnected;
    },
  };
  return chain;
}

type ResolvedOptions = {
  rpcUrl: string;
  subnet: Address;
  token: Address | undefined;
  address: Address;
  deployBlock: number;
  retry: CreateEvmChainParameters['retry'];
  pollMs: number;
  rpcTimeoutMs: number;
  txTimeoutMs: number;
  gasHeadroomPercent: number;
  logRangeBlocks: number;
  revealStatePath: string | undefined;
};

function resolveOptions(parameters: CreateEvmChainParameters): ResolvedOptions {
  const { deployment } = parameters;
  if (typeof parameters.rpcUrl !== 'string' || !/^https?:\/\/\S+$/i.test(parameters.rpcUrl)) {
    throw new NonRetryableChainError('invalid-parameter', 'rpcUrl must be an http(s) JSON-RPC URL.', {
      details: String(parameters.rpcUrl),
    });
  }
  if (typeof deployment !== 'object' || deployment === null)
    throw new NonRetryableChainError(
      'invalid-parameter',
      'deployment is required (a deployment file or { subnet }).',
    );
  if (parameters.privateKey !== undefined && parameters.signer !== undefined)
    throw new NonRetryableChainError('invalid-parameter', 'Give privateKey or signer, not both.');
  if (deployment.chainId !== undefined) checkInput.uint(deployment.chainId, 'deployment.chainId');
  const retry = parameters.retry;
  if (retry?.attempts !== undefined) positive(retry.attempts, 'retry.attempts');
  if (retry?.baseDelayMs !== undefined) checkInput.uint(retry.baseDelayMs, 'retry.baseDelayMs');
  if (retry?.maxDelayMs !== undefined) checkInput.uint(retry.maxDelayMs, 'retry.maxDelayMs');
  return {
    rpcUrl: parameters.rpcUrl,
    subnet: checkInput.address(deployment.subnet, 'deployment.subnet'),
    token:
      deployment.token === undefined ? undefined : checkInput.address(deployment.token, 'deployment.token'),
    address:
      parameters.address === undefined
        ? (ZeroAddress as Address)
        : checkInput.address(parameters.address, 'address'),
    deployBlock:
      deployment.deployBlock === undefined
        ? 0
        : checkInput.uint(deployment.deployBlock, 'deployment.deployBlock'),
    retry,
    pollMs: positive(parameters.pollMs ?? 1_000, 'pollMs'),
    rpcTimeoutMs: positive(parameters.rpcTimeoutMs ?? 30_000, 'rpcTimeoutMs'),
    txTimeoutMs: positive(parameters.txTimeoutMs ?? 120_000, 'txTimeoutMs'),
    gasHeadroomPercent: checkInput.uint(parameters.gasHeadroomPercent ?? 20, 'gasHeadroomPercent', 1_000),
    logRangeBlocks: positive(parameters.logRangeBlocks ?? 10_000, 'logRangeBlocks'),
    revealStatePath: revealStatePathOf(parameters.revealStatePath),
  };
}

function resolveSigner(parameters: CreateEvmChainParameters, provider: JsonRpcProvider): Signer | undefined {
  if (parameters.privateKey !== undefined) {
    const key = parameters.privateKey.trim();
    const hex = key.startsWith('0x') ? key : `0x${key}`;
    if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) {
      // Never echo the key itself.
      throw new NonRetryableChainError('bad-signer', 'privateKey must be 32 bytes of hex.', {
        details: `${key.length} characters`,
        hint: 'Pass the hotkey’s private key as 0x followed by 64 hex digits.',
      });
    }
    try {
      return new Wallet(hex, provider);
    } catch {
      throw new NonRetryableChainError('bad-signer', 'privateKey is not a valid secp256k1 key.');
    }
  }
  const signer = parameters.signer;
  if (signer === undefined) return undefined;
  if (signer.provider) return signer;
  return signer.connect(provider);
}

function toTxReceipt(receipt: TransactionReceipt): TxReceipt {
  return {
    hash: readReply.hex32(receipt.hash, 'receipt.hash'),
    block: readReply.uint(receipt.blockNumber, 'receipt.blockNumber'),
    gasUsed: readReply.amount(receipt.gasUsed, 'receipt.gasUsed'),
  };
}

function revealStatePathOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '')
    throw new NonRetryableChainError('invalid-parameter', 'revealStatePath must be a file path.', {
      details: String(value),
    });
  return value;
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new NonRetryableChainError('invalid-parameter', `${name} must be a positive integer.`, {
      details: String(value),
    });
  }
  return value;
}
