import { setMaxListeners } from 'node:events';
import { randomInt } from 'node:crypto';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Codec } from '@polkadot/types/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { silentLogger } from '../../common/logger.js';
import { sleep } from '../../common/shutdown.js';
import { NonRetryableChainError } from '../../errors/chain.js';
import { deadlineOfWindow } from '../../protocol/deadlineOfWindow.js';
import { startBlockOfWindow } from '../../protocol/startBlockOfWindow.js';
import { windowOfBlock } from '../../protocol/windowOfBlock.js';
import type {
  Address,
  Checkpoint,
  Hex32,
  PlannedWrite,
  RegisterOutcome,
  SubnetTiming,
  TxEstimate,
  TxReceipt,
  WriteEstimate,
} from '../types.js';
import { accountToAddress, accountToSs58, addressToAccount } from './accountAddress.js';
import { commitmentPayloadOf } from './commitmentPayloadOf.js';
import { connectSubstrate } from './connectSubstrate.js';
import { isSubstrateSecret } from './isSubstrateSecret.js';
import { createSubtensorRevealStore } from './createSubtensorRevealStore.js';
import { decodeTesseraCommitment } from './decodeTesseraCommitment.js';
import { fitCommitmentRecords } from './fitCommitmentRecords.js';
import { inspectSubtensorRuntime } from './inspectSubtensorRuntime.js';
import { readCodec } from './readCodec.js';
import { readMetagraph } from './readMetagraph.js';
import { readWeights } from './readWeights.js';
import type { ChainView, MetagraphSnapshot } from './readMetagraph.js';
import { checkInput } from '../checkInput.js';
import { retryChainCall } from '../retryChainCall.js';
import { runConfigHashOf } from './runConfigHashOf.js';
import { selectLeadRecord } from './selectLeadRecord.js';
import { selectWindowCommitments } from './selectWindowCommitments.js';
import { splitCommitmentFields } from './splitCommitmentFields.js';
import { submitExtrinsic } from './submitExtrinsic.js';
import { signerOfCall } from './subtensorCallOrigins.js';
import type { SubtensorCallName } from './subtensorCallOrigins.js';
import { toChainError } from './toChainError.js';
import { toU16Weights } from '../toU16Weights.js';
import type {
  CommitmentEntry,
  CreateSubtensorChainParameters,
  PendingReveal,
  SubtensorChain,
  TesseraRecord,
} from './types.js';
import { weightCommitHash } from './weightCommitHash.js';
import { weightRevealBlocks } from './weightRevealBlocks.js';
import { DEFAULT_SUBTENSOR_TIMING } from './defaultSubtensorTiming.js';

const U64_LIMIT = 1n << 64n;
const SALT_LENGTH = 8;

/** The implementation behind `createSubtensorChain`, loaded on first use (it pulls in @polkadot/api). */
export async function openSubtensorChain(
  parameters: CreateSubtensorChainParameters,
): Promise<SubtensorChain> {
  const netuid = parameters.netuid;
  if (!Number.isInteger(netuid) || netuid < 0 || netuid > 0xffff) {
    throw new NonRetryableChainError('invalid-parameter', 'netuid must be an integer in [0, 65535].', {
      details: String(netuid),
    });
  }
  const timing = resolveTiming(parameters.timing);
  const txTimeoutMs = positive(parameters.txTimeoutMs ?? 120_000, 'txTimeoutMs');
  const rpcTimeoutMs = positive(parameters.rpcTimeoutMs ?? 30_000, 'rpcTimeoutMs');
  if (
    parameters.versionKey !== undefined &&
    (parameters.versionKey < 0n || parameters.versionKey >= U64_LIMIT)
  ) {
    throw new NonRetryableChainError('invalid-parameter', 'versionKey must be a u64.', {
      details: String(parameters.versionKey),
    });
  }
  const ss58Format = parameters.ss58Format ?? 42;
  const logger = (parameters.logger ?? silentLogger).child({ chain: 'subtensor', netuid });
  const retry = parameters.retry;
  const autoReveal = parameters.autoReveal ?? true;

  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format });
  const hotkey =
    parameters.signer === undefined ? undefined : parsePair(keyring, parameters.signer, 'hotkey');
  const coldkey =
    parameters.coldkey === undefined ? hotkey : parsePair(keyring, parameters.coldkey, 'coldkey');
  /** The hotkey's public key: of the signer, or given as an address where only the coldkey signs. */
  const hotkeyAccount =
    hotkey?.publicKey ??
    (parameters.hotkeyAddress === undefined ? undefined : addressToAccount(parameters.hotkeyAddress));
  const reveals = createSubtensorRevealStore({ path: parameters.revealStatePath });

  const api = await connectSubstrate({ wsUrl: parameters.wsUrl, rpcTimeoutMs, retry, logger });
  const closing = new AbortController();
  // Every wait of every caller listens to it.
  setMaxListeners(0, closing.signal);
  const onShutdown = () => closing.abort(parameters.signal?.reason);
  if (parameters.signal?.aborted) onShutdown();
  else parameters.signal?.addEventListener('abort', onShutdown, { once: true });
  let runtime: ReturnType<typeof inspectSubtensorRuntime>;
  try {
    runtime = inspectSubtensorRuntime(api);
    const networksAdded = api.query.subtensorModule?.networksAdded;
    if (networksAdded && !readCodec.boolean(await networksAdded(netuid), 'SubtensorModule.NetworksAdded')) {
      throw new NonRetryableChainError('not-found', `Subnet ${netuid} does not exist on this chain.`, {
        hint: 'Create it first (btcli subnet create) or pass the right --netuid.',
      });
    }
  } catch (error) {
    await api.disconnect().catch(() => undefined);
    throw toChainError(error, 'inspect the chain');
  }
  const ss58 = (account: Uint8Array | undefined) =>
    account === undefined ? undefined : accountToSs58({ account, ss58Format });
  logger.info('subtensor backend ready', {
    ...runtime,
    hotkey: ss58(hotkeyAccount),
    coldkey: coldkey?.address,
  });

  /** The hotkey; with none given (a coldkey that only delegates, or a read-only API), the coldkey, else the zero account. */
  const ownAccount = hotkeyAccount ?? coldkey?.publicKey ?? new Uint8Array(32);
  const address = accountToAddress(ownAccount);
  const requireHotkey = (action: string): Uint8Array => {
    if (hotkeyAccount === undefined)
      throw new NonRetryableChainError('bad-signer', `No hotkey was given to ${action}.`, {
        hint: 'Give the hotkey (--hotkey, TESSERA_HOTKEY): its secret, or its SS58 address where only the coldkey signs.',
      });
    return hotkeyAccount;
  };
  const subtensor = () => api.query.subtensorModule!;

  // ---- plumbing --------------------------------------------------------------------------

  const read = <T>(action: string, run: () => Promise<T>) =>
    retryChainCall({ action, run, retry, logger, signal: closing.signal, classify: toChainError });

  const queues = new Map<string, Promise<unknown>>();
  /**
   * Sends one transaction at a time per signing account, so nonces never collide, signed by the
   * key `call` needs (subtensorCallOrigins).
   */
  const send = (action: string, call: SubtensorCallName, tx: SubmittableExtrinsic<'promise'>) => {
    const signer: KeyringPair = signerOfCall({ call, keys: { hotkey, coldkey } });
    const previous = queues.get(signer.address) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() =>
        submitExtrinsic({
          api,
          tx,
          signer,
          action,
          timeoutMs: txTimeoutMs,
          retry,
          logger,
          signal: closing.signal,
        }),
      );
    queues.set(signer.address, next);
    return next;
  };

  const blockNumber = () =>
    read('read the head block', async () => (await api.rpc.chain.getHeader()).number.toNumber());

  /** Storage as of `block` (capped at the head); falls back to the head when the node pruned it. */
  const viewAt = async (block?: number): Promise<{ view: ChainView; block: number }> => {
    const head = await blockNumber();
    const target = block === undefined ? head : Math.max(0, Math.min(head, block));
    if (target === head) return { view: api, block: head };
    try {
      const view = await read(`open the state of block ${target}`, async () =>
        api.at(await api.rpc.chain.getBlockHash(target)),
      );
      return { view: view as unknown as ChainView, block: target };
    } catch (error) {
      const chainError = toChainError(error, `open the state of block ${target}`);
      if (chainError.reason !== 'state-pruned') throw chainError;
      logger.warn('state pruned, reading the head instead', { block: target, head });
      return { view: api, block: head };
    }
  };

  const snapshot = (view: ChainView, block: number): Promise<MetagraphSnapshot> =>
    read('read the metagraph', () =>
      readMetagraph({ view, netuid, block, stakeSource: runtime.stakeSource }),
    );

  const readEntries = async (view: ChainView, snap: MetagraphSnapshot): Promise<CommitmentEntry[]> => {
    const raw = (await read('read the commitments', () =>
      view.query.commitments!.commitmentOf!.entries(netuid),
    )) as Array<[{ args: Codec[] }, Codec]>;
    const entries: CommitmentEntry[] = [];
    for (const [key, value] of raw) {
      const hotkeyAddress = accountToAddress(readCodec.account(key.args[1], 'Commitments.CommitmentOf key'));
      const registration = readCodec.unwrapOption(value);
      if (!registration) continue;
      const { block, payload } = commitmentPayloadOf(registration);
      const decoded = payload
        ? decodeTesseraCommitment(payload)
        : { ok: false as const, reason: 'not-tessera' as const };
      if (!decoded.ok) {
        logger.debug('skipping a commitment Tessera cannot read', {
          hotkey: hotkeyAddress,
          reason: decoded.reason,
        });
        continue;
      }
      entries.push({
        hotkey: hotkeyAddress,
        uid: snap.uidByHotkey.get(hotkeyAddress),
        block,
        records: decoded.records,
      });
    }
    return entries;
  };

  /** This hotkey's current records; a commitment we cannot read is treated as none, so it never blocks a new one. */
  const ownRecords = async (): Promise<TesseraRecord[]> => {
    const value = await read('read our commitment', () =>
      api.query.commitments!.commitmentOf!(netuid, requireHotkey('read its commitment')),
    );
    try {
      const registration = readCodec.option(value, 'Commitments.CommitmentOf');
      if (!registration) return [];
      const { payload } = commitmentPayloadOf(registration);
      const decoded = payload ? decodeTesseraCommitment(payload) : undefined;
      return decoded?.ok ? decoded.records : [];
    } catch (error) {
      logger.warn('cannot read our own commitment; replacing it', {
        error: toChainError(error, 'read our commitment'),
      });
      return [];
    }
  };

  /**
   * The `set_commitment` that publishes `record`, keeping this hotkey's records of other kinds
   * that still fit beside it (the run config hash the longest: fitCommitmentRecords).
   */
  const commitmentTx = async (record: TesseraRecord) => {
    const { payload, dropped } = fitCommitmentRecords({
      record,
      current: await ownRecords(),
      maxBytes: runtime.maxFields * runtime.maxRawBytes,
    });
    const fields = splitCommitmentFields({
      payload,
      maxFields: runtime.maxFields,
      maxRawBytes: runtime.maxRawBytes,
    });
    return { tx: api.tx.commitments!.setCommitment!(netuid, { fields }), dropped };
  };

  /** Publishes `record`, keeping this hotkey's records of other kinds when they still fit. */
  const publish = async (record: TesseraRecord): Promise<TxReceipt> => {
    const { tx, dropped } = await commitmentTx(record);
    if (dropped.length > 0) {
      logger.warn('dropping older records that no longer fit beside the new one', {
        kinds: dropped.map((r) => r.kind),
      });
    }
    const what = record.kind === 'run-config' ? 'run-config' : `${record.kind} for window ${record.window}`;
    const { receipt } = await send(`set_commitment (${what})`, 'set_commitment', tx);
    return receipt;
  };

  /**
   * The subnet owner's hotkey (`SubtensorModule.SubnetOwnerHotkey`), or undefined where the
   * runtime has no such item. It reads as the zero account while the owner has set none.
   */
  const ownerHotkey = async (): Promise<Uint8Array | undefined> => {
    const item = subtensor().subnetOwnerHotkey;
    if (!runtime.hasSubnetOwnerHotkey || !item) return undefined;
    const value = await read('read the subnet owner hotkey', () => item(netuid));
    return readCodec.account(value, 'SubtensorModule.SubnetOwnerHotkey');
  };

  /** This chain's hotkey, once it is checked to be the subnet owner's: nothing else may record the run config. */
  const requireOwnerHotkey = async (action: string): Promise<Uint8Array> => {
    const account = requireHotkey(action);
    if (!runtime.hasSubnetOwnerHotkey) {
      throw new NonRetryableChainError(
        'unsupported-runtime',
        'This runtime has no SubtensorModule.SubnetOwnerHotkey, so no run config hash can be recorded.',
        { details: `${runtime.specName} v${runtime.specVersion}` },
      );
    }
    const owner = await ownerHotkey();
    if (owner === undefined || accountToAddress(owner) !== accountToAddress(account)) {
      throw new NonRetryableChainError(
        'bad-signer',
        `Only the subnet owner's hotkey may ${action}; this hotkey is not subnet ${netuid}'s owner hotkey.`,
        {
          details: `this hotkey ${ss58(account)}, SubnetOwnerHotkey(${netuid}) ${ss58(owner)}`,
          hint: "Sign with the hotkey SubtensorModule.SubnetOwnerHotkey names (--hotkey): roles read the run config hash from that hotkey's commitment only.",
        },
      );
    }
    return account;
  };

  /** The run config hash in the subnet owner's commitment; an owner commitment Tessera cannot read counts as none. */
  const runConfigHash = async (): Promise<Hex32 | undefined> => {
    const owner = await ownerHotkey();
    if (owner === undefined) return undefined;
    const value = await read('read the subnet owner commitment', () =>
      api.query.commitments!.commitmentOf!(netuid, owner),
    );
    const hotkeyOf = accountToAddress(owner);
    let records: TesseraRecord[];
    try {
      const registration = readCodec.option(value, 'Commitments.CommitmentOf');
      if (!registration) return undefined;
      const { payload } = commitmentPayloadOf(registration);
      const decoded = payload
        ? decodeTesseraCommitment(payload)
        : { ok: false as const, reason: 'not-tessera' as const };
      if (!decoded.ok) {
        logger.warn('the subnet owner commitment cannot be read; no run config hash is recorded', {
          hotkey: ss58(owner),
          reason: decoded.reason,
        });
        return undefined;
      }
      records = decoded.records;
    } catch (error) {
      logger.warn('the subnet owner commitment cannot be read; no run config hash is recorded', {
        hotkey: ss58(owner),
        error: toChainError(error, 'read the subnet owner commitment'),
      });
      return undefined;
    }
    return runConfigHashOf({ ownerHotkey: hotkeyOf, entries: [{ hotkey: hotkeyOf, records }] });
  };

  /** The free balance of `account`, in rao. */
  const freeBalanceOf = async (account: Uint8Array): Promise<bigint> => {
    const value = await read('read a balance', () => api.query.system!.account!(account));
    const data = (value as unknown as { data?: { free?: Codec } }).data;
    return readCodec.bigint(data?.free, 'System.Account.data.free');
  };

  const stakeOf = async (account: Uint8Array): Promise<bigint> => {
    const q = subtensor();
    const value = await read('read stake', () =>
      runtime.stakeSource === 'TotalHotkeyAlpha'
        ? q.totalHotkeyAlpha!(account, netuid)
        : q.totalHotkeyStake!(account),
    );
    return readCodec.bigint(value, `SubtensorModule.${runtime.stakeSource}`);
  };

  const uidOf = async (who?: Address): Promise<number | undefined> => {
    const account = who === undefined ? ownAccount : addressToAccount(who);
    const value = await read('read a uid', () => subtensor().uids!(netuid, account));
    const uid = readCodec.option(value, 'SubtensorModule.Uids');
    return uid === undefined ? undefined : readCodec.number(uid, 'SubtensorModule.Uids');
  };

  const addStakeTx = (account: Uint8Array, amount: bigint) =>
    runtime.addStakeTakesNetuid
      ? api.tx.subtensorModule!.addStake!(account, netuid, amount)
      : api.tx.subtensorModule!.addStake!(account, amount);
  const removeStakeTx = (account: Uint8Array, amount: bigint) =>
    runtime.addStakeTakesNetuid
      ? api.tx.subtensorModule!.removeStake!(account, netuid, amount)
      : api.tx.subtensorModule!.removeStake!(account, amount);

  const addStake = (account: Uint8Array, amount: bigint) =>
    send('add_stake', 'add_stake', addStakeTx(account, amount));
  // remove_stake takes the netuid exactly where add_stake does (dynamic TAO runtimes).
  const removeStake = (account: Uint8Array, amount: bigint) =>
    send('remove_stake', 'remove_stake', removeStakeTx(account, amount));

  /** The hotkey of `validatorUid` on this subnet, or this chain's own hotkey. */
  const stakeTarget = async (validatorUid: number | undefined): Promise<Uint8Array> => {
    if (validatorUid === undefined) return requireHotkey('stake on');
    if (!Number.isInteger(validatorUid) || validatorUid < 0 || validatorUid > 0xffff) {
      throw new NonRetryableChainError('invalid-parameter', 'validatorUid must be a u16.', {
        details: String(validatorUid),
      });
    }
    const count = readCodec.number(
      await read('read the subnet size', () => subtensor().subnetworkN!(netuid)),
      'SubnetworkN',
    );
    if (validatorUid >= count)
      throw new NonRetryableChainError('not-found', `Subnet ${netuid} has no uid ${validatorUid}.`);
    const keys = await read('read a hotkey', () => subtensor().keys!(netuid, validatorUid));
    return readCodec.account(keys, 'SubtensorModule.Keys');
  };

  /** Registers the hotkey unless it holds a uid already (before, or by a registration that lost a race). */
  const register = async (): Promise<RegisterOutcome> => {
    const hotkeyOf = requireHotkey('register');
    const existing = await uidOf();
    if (existing !== undefined) return { status: 'already-registered', uid: existing };
    const tx = api.tx.subtensorModule!.burnedRegister!(netuid, hotkeyOf);
    let sent: Awaited<ReturnType<typeof send>>;
    try {
      sent = await send('burned_register', 'burned_register', tx);
    } catch (error) {
      if (toChainError(error, 'burned_register').reason !== 'already-registered') throw error;
      const uid = await uidOf();
      if (uid === undefined) throw error;
      return { status: 'already-registered', uid };
    }
    const { receipt, events } = sent;
    for (const { event } of events) {
      if (event.section !== 'subtensorModule' || event.method !== 'NeuronRegistered') continue;
      const [eventNetuid, uid, who] = event.data;
      if (readCodec.number(eventNetuid, 'NeuronRegistered.netuid') !== netuid) continue;
      if (accountToAddress(readCodec.account(who, 'NeuronRegistered.hotkey')) !== address) continue;
      return { status: 'registered', uid: readCodec.number(uid, 'NeuronRegistered.uid'), receipt };
    }
    const uid = await uidOf();
    if (uid === undefined)
      throw new NonRetryableChainError(
        'bad-response',
        'burned_register succeeded but the hotkey has no uid.',
      );
    return { status: 'registered', uid, receipt };
  };

  // ---- estimates -------------------------------------------------------------------------

  /** `paymentInfo`'s partial fee of `tx` for the key that would sign `call`; undefined when the node cannot tell. */
  const feeOf = async (
    action: SubtensorCallName,
    tx: SubmittableExtrinsic<'promise'>,
  ): Promise<TxEstimate> => {
    const signer: KeyringPair = signerOfCall({ call: action, keys: { hotkey, coldkey } });
    try {
      const info = await read(`estimate the fee of ${action}`, () => tx.paymentInfo(signer));
      return { action, fee: readCodec.bigint(info.partialFee, 'paymentInfo.partialFee') };
    } catch (error) {
      const chainError = toChainError(error, `estimate the fee of ${action}`);
      if (chainError.reason === 'bad-response' || chainError.retryable) throw chainError;
      logger.debug('no fee estimate', { action, error: chainError.message });
      return { action, fee: undefined, note: 'the node gives no fee estimate (paymentInfo)' };
    }
  };

  const estimateWrite = async (write: PlannedWrite): Promise<WriteEstimate> => {
    // The coldkey pays for everything but the commitment, which the hotkey signs.
    const payer = signerOfCall({
      call: write.kind === 'publish-run-config' ? 'set_commitment' : 'add_stake',
      keys: { hotkey, coldkey },
    });
    let burn = 0n;
    let moved = 0n;
    let transactions: TxEstimate[];
    let target: WriteEstimate['target'];
    const onHotkey = async (validatorUid: number | undefined) => {
      const account = await stakeTarget(validatorUid);
      target = { uid: validatorUid ?? (await uidOf()), hotkey: accountToSs58({ account, ss58Format }) };
      return account;
    };
    switch (write.kind) {
      case 'register-miner':
      case 'register-validator': {
        const hotkeyOf = requireHotkey('register');
        target = { hotkey: accountToSs58({ account: hotkeyOf, ss58Format }) };
        const burnItem = subtensor().burn;
        if (!burnItem) {
          throw new NonRetryableChainError(
            'unsupported-runtime',
            'This runtime has no SubtensorModule.Burn.',
          );
        }
        burn = readCodec.bigint(
          await read('read the registration burn', () => burnItem(netuid)),
          'SubtensorModule.Burn',
        );
        transactions = [
          await feeOf('burned_register', api.tx.subtensorModule!.burnedRegister!(netuid, hotkeyOf)),
        ];
        if (write.kind === 'register-validator') {
          moved = u64Amount(write.stake, 'stake');
          transactions.push(await feeOf('add_stake', addStakeTx(hotkeyOf, moved)));
        }
        break;
      }
      case 'delegate':
      case 'stake': {
        moved = u64Amount(write.amount, 'amount');
        transactions = [await feeOf('add_stake', addStakeTx(await onHotkey(write.validatorUid), moved))];
        break;
      }
      case 'unstake': {
        const amount = u64Amount(write.amount, 'amount');
        moved = -amount;
        transactions = [
          await feeOf('remove_stake', removeStakeTx(await onHotkey(write.validatorUid), amount)),
        ];
        break;
      }
      case 'publish-run-config': {
        const record = { kind: 'run-config', hash: checkInput.hex32(write.hash, 'hash') } as const;
        const account = await requireOwnerHotkey('record the run config hash');
        target = { hotkey: accountToSs58({ account, ss58Format }) };
        const { tx } = await commitmentTx(record);
        transactions = [await feeOf('set_commitment', tx)];
        break;
      }
      case 'claim':
        throw new NonRetryableChainError(
          'unsupported-operation',
          'Bittensor has nothing to claim: emissions are staked to the hotkey each tempo.',
        );
    }
    const free = await freeBalanceOf(payer.publicKey);
    const change = -(burn + moved);
    return {
      payer: payer.address,
      target,
      burn,
      change: { token: change, fees: change },
      transactions,
      balance: { token: free, fees: free },
      sameCoin: true,
    };
  };

  // ---- weights ---------------------------------------------------------------------------

  const revealTimers = new Set<Promise<void>>();

  const revealPendingWeights = async (): Promise<TxReceipt[]> => {
    const head = await blockNumber();
    const receipts: TxReceipt[] = [];
    for (const pending of reveals.list()) {
      if (pending.netuid !== netuid || head < pending.firstRevealBlock) continue;
      if (head > pending.lastRevealBlock) {
        logger.warn('weight commit expired before it was revealed', {
          hash: pending.hash,
          lastRevealBlock: pending.lastRevealBlock,
        });
        reveals.remove(pending.hash);
        continue;
      }
      const tx = api.tx.subtensorModule!.revealWeights!(
        netuid,
        pending.uids,
        pending.values,
        pending.salt,
        BigInt(pending.versionKey),
      );
      try {
        const { receipt } = await send('reveal_weights', 'reveal_weights', tx);
        reveals.remove(pending.hash);
        receipts.push(receipt);
        logger.info('weights revealed', { hash: pending.hash, block: receipt.block });
      } catch (error) {
        const chainError = toChainError(error, 'reveal weights');
        // A commit the chain no longer knows cannot be revealed later either.
        if (
          /NoWeightsCommitFound|ExpiredWeightCommit|InvalidRevealCommitHashNotMatch/.test(
            chainError.chainCode ?? '',
          )
        ) {
          reveals.remove(pending.hash);
        }
        throw chainError;
      }
    }
    return receipts;
  };

  const scheduleReveal = (pending: PendingReveal) => {
    if (!autoReveal) return;
    const task = (async () => {
      try {
        await waitForBlock({ block: pending.firstRevealBlock, signal: closing.signal, pollMs: 2_000 });
        await revealPendingWeights();
      } catch (error) {
        if (!closing.signal.aborted)
          logger.error('automatic weight reveal failed', {
            hash: pending.hash,
            error: toChainError(error, 'reveal weights'),
          });
      }
    })();
    revealTimers.add(task);
    void task.finally(() => revealTimers.delete(task));
  };

  const setWeights = async ({ uids, weights }: { uids: number[]; weights: number[] }): Promise<TxReceipt> => {
    const vector = toU16Weights({ uids, weights });
    const q = subtensor();
    const versionKey =
      parameters.versionKey ??
      readCodec.bigint(
        await read('read the weights version key', () => q.weightsVersionKey!(netuid)),
        'WeightsVersionKey',
      );
    const commitReveal = q.commitRevealWeightsEnabled
      ? readCodec.boolean(
          await read('read the commit-reveal flag', () => q.commitRevealWeightsEnabled!(netuid)),
          'CommitRevealWeightsEnabled',
        )
      : false;
    if (!commitReveal) {
      const tx = api.tx.subtensorModule!.setWeights!(netuid, vector.uids, vector.values, versionKey);
      return (await send('set_weights', 'set_weights', tx)).receipt;
    }
    if (!runtime.hasCommitReveal) {
      throw new NonRetryableChainError(
        'unsupported-runtime',
        'The subnet requires commit-reveal but the runtime has no commit_weights.',
        {
          hint: 'Timelocked (drand) weight commits are not implemented; turn CommitRevealWeightsEnabled off for this subnet.',
        },
      );
    }
    await revealPendingWeights().catch((error: unknown) =>
      logger.warn('revealing earlier weights failed', { error: toChainError(error, 'reveal') }),
    );
    const salt = Array.from({ length: SALT_LENGTH }, () => randomInt(0, 0x10000));
    const hash = weightCommitHash({
      account: requireHotkey('commit weights'),
      netuid,
      ...vector,
      salt,
      versionKey,
    });
    const { receipt } = await send(
      'commit_weights',
      'commit_weights',
      api.tx.subtensorModule!.commitWeights!(netuid, hash),
    );
    const tempo = readCodec.number(
      await read('read the tempo', () => q.tempo!(netuid)),
      'SubtensorModule.Tempo',
    );
    const revealPeriod = q.revealPeriodEpochs
      ? readCodec.number(
          await read('read the reveal period', () => q.revealPeriodEpochs!(netuid)),
          'RevealPeriodEpochs',
        )
      : 1;
    const { first, last } = weightRevealBlocks({ netuid, tempo, revealPeriod, commitBlock: receipt.block });
    const pending: PendingReveal = {
      netuid,
      hash,
      ...vector,
      salt,
      versionKey: versionKey.toString(),
      commitBlock: receipt.block,
      firstRevealBlock: first,
      lastRevealBlock: last,
    };
    reveals.add(pending);
    logger.info('weights committed', { hash, block: receipt.block, revealFrom: first, revealUntil: last });
    scheduleReveal(pending);
    return receipt;
  };

  // ---- clock -----------------------------------------------------------------------------

  const windowStart = (window: number) => startBlockOfWindow({ window, ...timing });
  const deadline = (window: number) => deadlineOfWindow({ window, ...timing });

  const waitForBlock = async ({
    block,
    signal,
    pollMs,
  }: {
    block: number;
    signal?: AbortSignal;
    pollMs?: number;
  }): Promise<number> => {
    nonNegative(block, 'block');
    for (;;) {
      if (signal?.aborted) throw toChainError(signal.reason, `wait for block ${block}`);
      const head = await blockNumber();
      if (head >= block) return head;
      try {
        await sleep(pollMs ?? 1_000, signal);
      } catch (error) {
        throw toChainError(error, `wait for block ${block}`);
      }
    }
  };

  for (const pending of reveals.list()) if (pending.netuid === netuid) scheduleReveal(pending);

  // ---- the interface ---------------------------------------------------------------------

  let disconnected: Promise<void> | undefined;

  const chain: SubtensorChain = {
    kind: 'subtensor',
    subnetId: `subtensor:${api.genesisHash.toHex()}:${netuid}`,
    address,
    netuid,
    ss58Address: accountToSs58({ account: ownAccount, ss58Format }),
    coldkeySs58Address: coldkey?.address,
    runtime,

    timing: async () => ({ ...timing }),
    runConfigHash,
    blockNumber,
    blockHash: async (block) => {
      nonNegative(block, 'block');
      const hash = await read(`read the hash of block ${block}`, () => api.rpc.chain.getBlockHash(block));
      if (hash.isEmpty) throw new NonRetryableChainError('not-found', `Block ${block} does not exist yet.`);
      return hash.toHex() as Hex32;
    },
    waitForBlock,

    metagraph: async () => {
      const { view, block } = await viewAt();
      return (await snapshot(view, block)).metagraph;
    },
    uidOf,

    registerMiner: register,
    registerValidator: async ({ stake }) => {
      const amount = u64Amount(stake, 'stake');
      const registered = await register();
      if (registered.status === 'already-registered') return registered;
      const { receipt } = await addStake(requireHotkey('stake on'), amount);
      return { status: 'registered', uid: registered.uid, receipt };
    },
    delegate: async ({ validatorUid, amount }) => {
      const value = u64Amount(amount, 'amount');
      return (await addStake(await stakeTarget(validatorUid), value)).receipt;
    },
    stake: async ({ amount, validatorUid }) => {
      const value = u64Amount(amount, 'amount');
      return (await addStake(await stakeTarget(validatorUid), value)).receipt;
    },
    unstake: async ({ amount, validatorUid }) => {
      const value = u64Amount(amount, 'amount');
      return (await removeStake(await stakeTarget(validatorUid), value)).receipt;
    },

    commit: async ({ window, digest, uri, modelHash }) => {
      nonNegative(window, 'window');
      const head = await blockNumber();
      if (head + 1 >= deadline(window)) {
        throw new NonRetryableChainError(
          'invalid-parameter',
          `The deadline of window ${window} has passed.`,
          {
            details: `deadline block ${deadline(window)}, head ${head}`,
          },
        );
      }
      if ((await ownRecords()).some((r) => r.kind === 'update' && r.window === window))
        return { status: 'already-committed' };
      return {
        status: 'committed',
        receipt: await publish({ kind: 'update', window, digest, modelHash, uri }),
      };
    },
    commitments: async ({ window }) => {
      nonNegative(window, 'window');
      const end = deadline(window);
      const { view, block } = await viewAt(end - 1);
      const snap = await snapshot(view, block);
      return selectWindowCommitments({ entries: await readEntries(view, snap), window, deadline: end });
    },

    publishAggregate: async ({ window, uids, modelHash, normBound, uri }) => {
      nonNegative(window, 'window');
      if ((await ownRecords()).some((r) => r.kind === 'aggregate' && r.window === window))
        return { status: 'already-published' };
      const receipt = await publish({
        kind: 'aggregate',
        window,
        uids: [...uids].sort((a, b) => a - b),
        modelHash,
        normBound,
        uri,
      });
      return { status: 'published', receipt };
    },
    aggregate: async ({ window }) => {
      nonNegative(window, 'window');
      const end = windowStart(window + 2);
      const { view, block } = await viewAt(end - 1);
      const snap = await snapshot(view, block);
      const lead = selectLeadRecord({
        entries: await readEntries(view, snap),
        kind: 'aggregate',
        window,
        standings: snap.standings,
        beforeBlock: end,
      });
      if (!lead) return undefined;
      const { record, entry } = lead;
      return {
        window,
        uids: record.uids,
        modelHash: record.modelHash,
        normBound: record.normBound,
        uri: record.uri,
        validator: entry.hotkey,
        block: entry.block,
      };
    },
    publishRunConfigHash: async ({ hash }) => {
      const record = { kind: 'run-config', hash: checkInput.hex32(hash, 'hash') } as const;
      await requireOwnerHotkey('record the run config hash');
      return publish(record);
    },
    publishCheckpoint: async ({ window, modelHash, uri }) => ({
      status: 'published',
      receipt: await publish({ kind: 'checkpoint', window, modelHash, uri }),
    }),
    latestCheckpoint: async (): Promise<Checkpoint | undefined> => {
      const { view, block } = await viewAt();
      const snap = await snapshot(view, block);
      const currentWindow = block < timing.startBlock ? -1 : windowOfBlock({ block, ...timing });
      const lead = selectLeadRecord({
        entries: await readEntries(view, snap),
        kind: 'checkpoint',
        standings: snap.standings,
        maxWindow: currentWindow,
      });
      if (!lead) return undefined;
      return {
        window: lead.record.window,
        modelHash: lead.record.modelHash,
        uri: lead.record.uri,
        validator: lead.entry.hotkey,
        block: lead.entry.block,
      };
    },

    setWeights,
    settleEpoch: async ({ epoch }) => {
      nonNegative(epoch, 'epoch');
      return { status: 'settled-by-chain' };
    },
    rewards: async (options) => {
      const account = options?.address === undefined ? ownAccount : addressToAccount(options.address);
      return { claimable: await stakeOf(account), claimed: 0n };
    },
    claim: async () => {
      throw new NonRetryableChainError(
        'unsupported-operation',
        'Bittensor has nothing to claim: emissions are staked to the hotkey each tempo.',
        {
          hint: 'Move them with btcli stake remove / transfer.',
        },
      );
    },

    estimateWrite,
    balance: async () => {
      const free = await freeBalanceOf(ownAccount);
      return { token: free, fees: free };
    },
    revealPendingWeights: async () => {
      await revealPendingWeights();
    },
    revealedWeights: async ({ epoch }) => {
      nonNegative(epoch, 'epoch');
      const { view, block } = await viewAt();
      const snap = await snapshot(view, block);
      const hotkeyOf = new Map(snap.metagraph.neurons.map((n) => [n.uid, n.hotkey] as const));
      return read('read the weights', () => readWeights({ view, netuid, hotkeyOf }));
    },
    disconnect: () => {
      disconnected ??= (async () => {
        closing.abort();
        parameters.signal?.removeEventListener('abort', onShutdown);
        await Promise.allSettled([...revealTimers]);
        await Promise.allSettled([...queues.values()]);
        await api.disconnect().catch(() => undefined);
        logger.debug('disconnected');
      })();
      return disconnected;
    },
  };
  return chain;
}

function resolveTiming(partial: Partial<SubnetTiming> | undefined): SubnetTiming {
  const timing = { ...DEFAULT_SUBTENSOR_TIMING, ...stripUndefined(partial ?? {}) };
  nonNegative(timing.startBlock, 'timing.startBlock');
  positive(timing.blocksPerWindow, 'timing.blocksPerWindow');
  positive(timing.windowsPerEpoch, 'timing.windowsPerEpoch');
  nonNegative(timing.deadlineGraceBlocks, 'timing.deadlineGraceBlocks');
  if (timing.deadlineGraceBlocks >= timing.blocksPerWindow) {
    throw new NonRetryableChainError(
      'invalid-parameter',
      'timing.deadlineGraceBlocks must be shorter than a window.',
      {
        details: `${timing.deadlineGraceBlocks} >= ${timing.blocksPerWindow}`,
      },
    );
  }
  return timing;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function parsePair(keyring: Keyring, secret: string, what: string): KeyringPair {
  const trimmed = typeof secret === 'string' ? secret.trim() : '';
  const hint =
    'Pass a BIP-39 mnemonic or a 0x-hex 32-byte seed, optionally with a derivation path (//hot/0), or a dev URI such as //Alice.';
  if (trimmed === '') throw new NonRetryableChainError('bad-signer', `The ${what} is empty.`, { hint });
  // The keyring would turn any short string into a seed: accept only what is unambiguous.
  if (!isSubstrateSecret({ suri: trimmed }))
    throw new NonRetryableChainError(
      'bad-signer',
      `The ${what} is not a valid mnemonic, seed or secret URI.`,
      { hint },
    );
  try {
    return keyring.addFromUri(trimmed);
  } catch (error) {
    // Never echo the secret itself.
    throw new NonRetryableChainError('bad-signer', `The ${what} could not be turned into a key.`, {
      details: error instanceof Error ? error.message.split(trimmed).join('<secret>') : undefined,
      hint,
    });
  }
}

function positive(value: number, what: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new NonRetryableChainError('invalid-parameter', `${what} must be a positive integer.`, {
      details: String(value),
    });
  }
  return value;
}

function nonNegative(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new NonRetryableChainError('invalid-parameter', `${what} must be a non-negative integer.`, {
      details: String(value),
    });
  }
  return value;
}

function u64Amount(value: bigint, what: string): bigint {
  if (typeof value !== 'bigint' || value <= 0n || value >= U64_LIMIT) {
    throw new NonRetryableChainError('invalid-parameter', `${what} must be a positive u64 amount (in rao).`, {
      details: String(value),
    });
  }
  return value;
}
