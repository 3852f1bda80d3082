import type { SubnetContract, SubnetParams, TokenContract } from '@tessera/contracts';
import type { ContractTransaction, JsonRpcProvider } from 'ethers';
import { NonRetryableChainError } from '../../errors/chain.js';
import { checkInput } from '../checkInput.js';
import type {
  AccountBalance,
  Address,
  Metagraph,
  PlannedWrite,
  TxEstimate,
  WriteEstimate,
} from '../types.js';
import { readReply } from './readReply.js';

/** What {@link estimateEvmWrite} reads through: the EVM backend's own handles and reads. */
export type EstimateEvmWriteParameters = {
  write: PlannedWrite;
  provider: JsonRpcProvider;
  subnet: SubnetContract;
  token: TokenContract;
  subnetAddress: Address;
  /** The signing account, which pays. */
  address: Address;
  /** Reads with the backend's retry policy; reverts come back decoded and are not retried. */
  read: <T>(action: string, run: () => Promise<T>) => Promise<T>;
  params: () => Promise<Readonly<SubnetParams>>;
  uidOf: () => Promise<number | undefined>;
  metagraph: () => Promise<Metagraph>;
  pendingRewards: () => Promise<bigint>;
  /** The account's TSR and ether, as `EvmChain.balance` reads them. */
  balance: () => Promise<AccountBalance>;
};

/**
 * Prices a funds-moving write on Tessera's contracts without sending it: `eth_estimateGas` from
 * the signing account for each transaction it would send, times the node's current gas price
 * (`eth_gasPrice`), plus the registration burn (a miner's, sent as value) and the stake moved.
 * A stake or delegation needing an approval first estimates the approval; the stake's own gas
 * can only be estimated once the approval has landed (the token refuses the transfer before),
 * so its fee is left undefined with a note. Every reply is checked with `readReply`.
 *
 * @returns The estimate, with the account's TSR and ether balances.
 * @throws ChainError `rejected` (with the decoded custom error as `chainCode`) when the gas
 *   estimate reverts, `not-registered` for a stake with no uid, `not-found` for an unknown uid.
 * @example
 * const estimate = await estimateEvmWrite({ write: { kind: 'claim' }, provider, subnet, token, subnetAddress, address, read, params, uidOf, metagraph, pendingRewards });
 */
export async function estimateEvmWrite(parameters: EstimateEvmWriteParameters): Promise<WriteEstimate> {
  const { write, provider, subnet, token, subnetAddress, address, read } = parameters;

  // Read once, when the first transaction is priced.
  let feePerGas: Promise<bigint | undefined> | undefined;
  const readFeePerGas = async (): Promise<bigint | undefined> => {
    const data = await read('read the gas price', () => provider.getFeeData());
    const price = data.gasPrice ?? data.maxFeePerGas;
    return price === null ? undefined : readReply.amount(price, 'gasPrice');
  };
  const priced = async (action: string, populate: Promise<ContractTransaction>): Promise<TxEstimate> => {
    const price = await (feePerGas ??= readFeePerGas());
    const request = await populate;
    const gas = readReply.amount(
      await read(`estimate the gas of ${action}`, () => provider.estimateGas({ ...request, from: address })),
      'estimateGas',
    );
    return price === undefined
      ? { action, fee: undefined, gas, note: 'the node gives no gas price' }
      : { action, fee: gas * price, gas, feePerGas: price };
  };

  const hotkeyOf = async (uid: number): Promise<string> => {
    const neuron = (await parameters.metagraph()).neurons.find((n) => n.uid === uid);
    if (!neuron) throw new NonRetryableChainError('not-found', `The subnet has no uid ${uid}.`);
    return neuron.hotkey;
  };
  const ownUid = async (): Promise<number> => {
    const uid = await parameters.uidOf();
    if (uid === undefined) {
      throw new NonRetryableChainError('not-registered', 'This account has no uid to stake on.', {
        hint: 'Register as a validator first, or pass validatorUid.',
      });
    }
    return uid;
  };
  /** The approval (when the allowance is short) and the stake call that takes `amount`. */
  const withApproval = async (
    amount: bigint,
    action: string,
    populate: () => Promise<ContractTransaction>,
  ): Promise<TxEstimate[]> => {
    const allowance = readReply.amount(
      await read('read the token allowance', () => token.allowance(address, subnetAddress)),
      'allowance',
    );
    if (allowance >= amount) return [await priced(action, populate())];
    return [
      await priced('approve', token.approve.populateTransaction(subnetAddress, amount)),
      { action, fee: undefined, note: 'its gas can be estimated only once the approval has landed' },
    ];
  };

  let burn = 0n;
  let tokenChange = 0n;
  let transactions: TxEstimate[];
  let target: WriteEstimate['target'];
  switch (write.kind) {
    case 'register-miner': {
      burn = (await parameters.params()).registrationBurn;
      transactions = [
        await priced('registerMiner', subnet.registerMiner.populateTransaction({ value: burn })),
      ];
      target = { hotkey: address };
      break;
    }
    case 'register-validator': {
      const stake = checkInput.amount(write.stake, 'stake');
      tokenChange = -stake;
      transactions = await withApproval(stake, 'registerValidator', () =>
        subnet.registerValidator.populateTransaction(stake),
      );
      target = { hotkey: address };
      break;
    }
    case 'delegate':
    case 'stake':
    case 'unstake': {
      const amount = checkInput.amount(write.amount, 'amount');
      const uid =
        write.validatorUid === undefined
          ? await ownUid()
          : checkInput.uid(write.validatorUid, 'validatorUid');
      target = { uid, hotkey: await hotkeyOf(uid) };
      if (write.kind === 'unstake') {
        tokenChange = amount;
        transactions = [await priced('unstake', subnet.unstake.populateTransaction(uid, amount))];
      } else {
        tokenChange = -amount;
        transactions = await withApproval(amount, 'stake', () =>
          subnet.stake.populateTransaction(uid, amount),
        );
      }
      break;
    }
    case 'claim': {
      tokenChange = await parameters.pendingRewards();
      transactions = [await priced('claim', subnet.claim.populateTransaction())];
      break;
    }
    case 'publish-run-config':
      throw new NonRetryableChainError(
        'unsupported-operation',
        'The Subnet contract records its run config hash at deployment; nothing publishes it later.',
        { hint: 'Deploy the subnet with the deploy script’s --run-config-hash.' },
      );
  }
  return {
    payer: address,
    target,
    burn,
    change: { token: tokenChange, fees: -burn },
    transactions,
    balance: await parameters.balance(),
    sameCoin: false,
  };
}
