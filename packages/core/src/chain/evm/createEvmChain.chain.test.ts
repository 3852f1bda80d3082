import { connectSubnet, connectToken, deploySubnet } from '@tessera/contracts';
import type { Deployment } from '@tessera/contracts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider, Wallet, id, keccak256, parseEther, parseUnits, toUtf8Bytes } from 'ethers';
import { rejectionOf } from '../../_test/rejectionOf.js';
import { startTestHttpServer } from '../../_test/startTestHttpServer.js';
import { createLogger } from '../../common/logger.js';
import { sleep } from '../../common/shutdown.js';
import type { Logger } from '../../common/logger.js';
import { NonRetryableChainError, RetryableChainError } from '../../errors/chain.js';
import type { Hex32, TxReceipt } from '../types.js';
import { createEvmChain } from './createEvmChain.js';
import type { EvmChain } from './types.js';
import { freePort, startAnvil } from '@tessera/devtools';
import type { Anvil } from '@tessera/devtools';

/** anvil's first dev account: deploys the subnet and holds the genesis tokens. */
const DEPLOYER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const TOKEN = 10n ** 18n;
const BLOCKS_PER_WINDOW = 10;
const WINDOWS_PER_EPOCH = 2;
const GRACE = 2;
const fast = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

const hash = (text: string) => keccak256(toUtf8Bytes(text)) as Hex32;
const keyOf = (name: string) => id(`tessera-evm-chain-test-${name}`);

let anvil: Anvil;
let provider: JsonRpcProvider;
let deployment: Deployment;
let miners: EvmChain[];
let validators: EvmChain[];
let minerUids: number[];
let validatorUids: number[];
const chains: EvmChain[] = [];

function logSink(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: 'debug',
    format: 'json',
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { logger, lines };
}

async function chainFor(
  name: string,
  extra: { logger?: Logger; rpcUrl?: string; revealStatePath?: string; gasHeadroomPercent?: number } = {},
): Promise<EvmChain> {
  const key = keyOf(name);
  await anvil.rpc('anvil_setBalance', [new Wallet(key).address, `0x${parseEther('100').toString(16)}`]);
  const chain = await createEvmChain({
    rpcUrl: extra.rpcUrl ?? anvil.rpcUrl,
    deployment,
    privateKey: key,
    pollMs: 10,
    retry: fast,
    txTimeoutMs: 10_000,
    logger: extra.logger,
    revealStatePath: extra.revealStatePath,
    gasHeadroomPercent: extra.gasHeadroomPercent,
  });
  chains.push(chain);
  return chain;
}

async function giveTokens(to: string, amount: bigint) {
  const deployer = new Wallet(DEPLOYER_KEY, provider);
  const token = connectToken({ address: deployment.token, runner: deployer });
  await (await token.transfer(to, amount)).wait();
}

/** The receipt of a write that went through (a typed outcome other than the write fails the test). */
function receiptOf(outcome: { status: string; receipt?: TxReceipt }): TxReceipt {
  if (outcome.receipt === undefined) throw new Error(`expected a receipt, got ${outcome.status}`);
  return outcome.receipt;
}

/** Mines until the next transaction lands in `block`. */
async function mineUntil(block: number) {
  const next = (await provider.getBlockNumber()) + 1;
  if (block > next) await anvil.mine(block - next);
}

const windowStart = (window: number) => deployment.params.startBlock + window * BLOCKS_PER_WINDOW;
const deadline = (window: number) => windowStart(window + 1) + GRACE;
async function currentWindow() {
  return Math.floor(
    ((await provider.getBlockNumber()) + 1 - deployment.params.startBlock) / BLOCKS_PER_WINDOW,
  );
}

const epochStart = (epoch: number) =>
  deployment.params.startBlock + epoch * WINDOWS_PER_EPOCH * BLOCKS_PER_WINDOW;
/** The epoch the next transaction lands in. */
async function currentEpoch() {
  return Math.floor((await currentWindow()) / WINDOWS_PER_EPOCH);
}
/** Mines to the first block of the next epoch, and returns it. */
async function freshEpoch(): Promise<number> {
  const epoch = (await currentEpoch()) + 1;
  await mineUntil(epochStart(epoch));
  return epoch;
}
const nextEpochOnChain = async () =>
  Number(
    await provider.call({
      to: deployment.subnet,
      data: miners[0]!.subnet.interface.encodeFunctionData('nextEpoch'),
    }),
  );

/** Mines into the next window not yet reached, and returns it. */
async function freshWindow(): Promise<number> {
  const window = (await currentWindow()) + 1;
  await mineUntil(windowStart(window));
  return window;
}

beforeAll(async () => {
  anvil = await startAnvil();
  provider = new JsonRpcProvider(anvil.rpcUrl, anvil.chainId, { staticNetwork: true, cacheTimeout: -1 });
  deployment = await deploySubnet({
    signer: new Wallet(DEPLOYER_KEY, provider),
    params: {
      blocksPerWindow: BLOCKS_PER_WINDOW,
      windowsPerEpoch: WINDOWS_PER_EPOCH,
      deadlineGraceBlocks: GRACE,
      weightsRateLimit: 1,
      stakeLockBlocks: 0,
      minValidatorStake: 100n * TOKEN,
      maxUriLength: 64,
    },
  });
  miners = await Promise.all([0, 1, 2, 3, 4].map((i) => chainFor(`miner-${i}`)));
  validators = await Promise.all([0, 1].map((i) => chainFor(`validator-${i}`)));
  for (const validator of validators) await giveTokens(validator.address, 1_000n * TOKEN);

  // Five miners register at once, each from its own chain object.
  minerUids = (await Promise.all(miners.map((miner) => miner.registerMiner()))).map((r) => r.uid);
  validatorUids = [];
  for (const validator of validators)
    validatorUids.push((await validator.registerValidator({ stake: 300n * TOKEN })).uid);
});

afterAll(async () => {
  await Promise.all(chains.map((chain) => chain.disconnect()));
  provider?.destroy();
  await anvil?.stop();
});

describe('reads', () => {
  it('reads the timing from the contract and block hashes from the node', async () => {
    expect(await miners[0]!.timing()).toEqual({
      startBlock: deployment.params.startBlock,
      blocksPerWindow: BLOCKS_PER_WINDOW,
      windowsPerEpoch: WINDOWS_PER_EPOCH,
      deadlineGraceBlocks: GRACE,
    });
    const head = await miners[0]!.blockNumber();
    expect(head).toBe(await provider.getBlockNumber());
    expect(await miners[0]!.blockHash(head)).toBe((await provider.getBlock(head))!.hash);
    const future = await rejectionOf(miners[0]!.blockHash(head + 1_000));
    expect(future).toBeInstanceOf(NonRetryableChainError);
    expect(future).toMatchObject({ reason: 'not-found' });
    expect((future as Error).message).toContain(`Block ${head + 1_000} is not known yet`);
  });

  it('refuses to price publishing a run config hash: the Subnet records it at deployment', async () => {
    const error = await rejectionOf(
      miners[0]!.estimateWrite({ kind: 'publish-run-config', hash: hash('run config') }),
    );
    expect(error).toBeInstanceOf(NonRetryableChainError);
    expect(error).toMatchObject({ reason: 'unsupported-operation' });
    expect((error as Error).message).toContain('at deployment');
  });

  it('waits for a block by polling, and stops when its signal aborts', async () => {
    const head = await provider.getBlockNumber();
    const waiting = miners[0]!.waitForBlock({ block: head + 3, pollMs: 5 });
    await anvil.mine(3);
    expect(await waiting).toBeGreaterThanOrEqual(head + 3);

    const controller = new AbortController();
    const stuck = miners[0]!.waitForBlock({ block: head + 1_000, signal: controller.signal, pollMs: 5 });
    controller.abort();
    expect(await rejectionOf(stuck)).toMatchObject({ reason: 'aborted', retryable: true });
  });

  it('shows registered miners and validators in the metagraph', async () => {
    expect([...minerUids].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(validatorUids).toEqual([5, 6]);
    const { block, neurons } = await validators[0]!.metagraph();
    expect(block).toBe(await provider.getBlockNumber());
    expect(neurons.map((n) => n.uid)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const miner = neurons.find((n) => n.hotkey === miners[2]!.address)!;
    expect(miner).toMatchObject({
      uid: minerUids[2],
      isValidator: false,
      stake: 0n,
      validatorPermit: false,
      incentive: 0,
      dividends: 0,
    });
    expect(miner.registeredAt).toBeGreaterThan(deployment.deployBlock);
    expect(neurons[5]).toMatchObject({
      hotkey: validators[0]!.address,
      isValidator: true,
      stake: 300n * TOKEN,
      validatorPermit: true,
    });
    expect(await miners[3]!.uidOf()).toBe(minerUids[3]);
    expect(await miners[3]!.uidOf(validators[1]!.address)).toBe(6);
    expect(await miners[3]!.uidOf(new Wallet(keyOf('nobody')).address as `0x${string}`)).toBeUndefined();
  });

  it('answers already-registered, with the uid, to a second registration, before sending anything', async () => {
    const nonce = await provider.getTransactionCount(miners[0]!.address);
    expect(await miners[0]!.registerMiner()).toEqual({ status: 'already-registered', uid: minerUids[0] });
    expect(await provider.getTransactionCount(miners[0]!.address)).toBe(nonce);
  });
});

describe('commitments', () => {
  it('takes five commits at once and reads them back in one call, with their blocks', async () => {
    const window = await freshWindow();
    const receipts = await Promise.all(
      miners.map((miner, i) =>
        miner
          .commit({ window, digest: hash(`update-${i}`), uri: `file:///u/${i}`, modelHash: hash('θ') })
          .then(receiptOf),
      ),
    );
    const list = await validators[0]!.commitments({ window });
    expect(list.map((c) => c.uid)).toEqual([0, 1, 2, 3, 4]);
    for (const [i, miner] of miners.entries()) {
      const commitment = list.find((c) => c.hotkey === miner.address)!;
      expect(commitment).toEqual({
        uid: minerUids[i],
        hotkey: miner.address,
        window,
        digest: hash(`update-${i}`),
        uri: `file:///u/${i}`,
        modelHash: hash('θ'),
        block: receipts[i]!.block,
      });
    }
    expect(await validators[0]!.commitments({ window: window + 50 })).toEqual([]);
  });

  it('rejects a late commit with a NonRetryable error naming Subnet__LateCommit', async () => {
    const window = await freshWindow();
    await mineUntil(deadline(window));
    const nonce = await provider.getTransactionCount(miners[1]!.address);
    const error = await rejectionOf(
      miners[1]!
        .commit({ window, digest: hash('late'), uri: 'file:///late', modelHash: hash('θ') })
        .then(receiptOf),
    );
    expect(error).toBeInstanceOf(NonRetryableChainError);
    expect(error).toMatchObject({ reason: 'rejected', chainCode: 'Subnet__LateCommit', retryable: false });
    expect((error as Error).message).toContain(
      `Subnet__LateCommit(window=${window}, deadline=${deadline(window)})`,
    );
    expect(await provider.getTransactionCount(miners[1]!.address)).toBe(nonce);
  });

  it('checks its arguments before sending', async () => {
    const window = await currentWindow();
    const commit = (over: object) =>
      rejectionOf(
        miners[0]!
          .commit({ window, digest: hash('x'), uri: 'file:///x', modelHash: hash('θ'), ...over })
          .then(receiptOf),
      );
    expect(await commit({ digest: '0x1234' })).toMatchObject({ reason: 'invalid-parameter' });
    expect(await commit({ uri: '' })).toMatchObject({ reason: 'invalid-parameter' });
    expect(await commit({ uri: 'x'.repeat(65) })).toMatchObject({ reason: 'invalid-parameter' });
    expect(await commit({ window: -1 })).toMatchObject({ reason: 'invalid-parameter' });
    const publish = (over: Record<string, unknown>) =>
      rejectionOf(
        validators[0]!
          .publishAggregate({
            window,
            uids: [1],
            modelHash: hash('a'),
            normBound: 1.5,
            uri: '',
            ...over,
          })
          .then(receiptOf),
      );
    expect(await publish({ uids: [1, 1] })).toMatchObject({ reason: 'invalid-parameter' });
    for (const normBound of [0, -1, 0.1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(await publish({ normBound })).toMatchObject({ reason: 'invalid-parameter' });
  });
});

describe('aggregates and checkpoints', () => {
  async function commitAll(window: number) {
    await Promise.all(
      miners.map((miner, i) =>
        miner
          .commit({ window, digest: hash(`${window}-${i}`), uri: `u${i}`, modelHash: hash('θ') })
          .then(receiptOf),
      ),
    );
  }

  it('follows the highest stake, ties to the lowest uid, and ignores aggregates published too late', async () => {
    const window = await freshWindow();
    await commitAll(window);
    await mineUntil(windowStart(window + 1));
    await commitAll(window + 1);
    await mineUntil(deadline(window));
    expect(await miners[0]!.aggregate({ window })).toBeUndefined();

    // Validators 0 and 1 have equal stake; 1 (the higher uid) publishes first.
    const first = await validators[1]!
      .publishAggregate({
        window,
        normBound: 1.5,
        uids: [4, 0, 2],
        modelHash: hash('agg-1'),
        uri: 'file:///agg-1',
      })
      .then(receiptOf);
    expect(await miners[0]!.aggregate({ window })).toEqual({
      window,
      uids: [0, 2, 4],
      modelHash: hash('agg-1'),
      normBound: 1.5,
      uri: 'file:///agg-1',
      validator: validators[1]!.address,
      block: first.block,
    });
    const second = await validators[0]!
      .publishAggregate({
        window,
        normBound: 1.5,
        uids: [1],
        modelHash: hash('agg-0'),
        uri: '',
      })
      .then(receiptOf);
    expect(await miners[0]!.aggregate({ window })).toMatchObject({
      validator: validators[0]!.address,
      uids: [1],
      block: second.block,
    });

    // For window+1, validator 0 publishes only after window+3 started: too late to count.
    await mineUntil(deadline(window + 1));
    await validators[1]!
      .publishAggregate({
        window: window + 1,
        normBound: 1.5,
        uids: [3],
        modelHash: hash('agg-next'),
        uri: '',
      })
      .then(receiptOf);
    await mineUntil(windowStart(window + 3));
    await validators[0]!
      .publishAggregate({
        window: window + 1,
        normBound: 1.5,
        uids: [0],
        modelHash: hash('late'),
        uri: '',
      })
      .then(receiptOf);
    expect(await miners[0]!.aggregate({ window: window + 1 })).toMatchObject({
      validator: validators[1]!.address,
      uids: [3],
    });
  });

  it('publishes a checkpoint and reads the latest back', async () => {
    const window = await currentWindow();
    const receipt = await validators[1]!
      .publishCheckpoint({
        window,
        modelHash: hash(`ckpt-${window}`),
        uri: 'file:///ckpt',
      })
      .then(receiptOf);
    expect(await miners[0]!.latestCheckpoint()).toEqual({
      window,
      modelHash: hash(`ckpt-${window}`),
      uri: 'file:///ckpt',
      validator: validators[1]!.address,
      block: receipt.block,
    });
  });

  it('refuses publishing from a miner with the contract error name', async () => {
    const error = await rejectionOf(
      miners[0]!.publishCheckpoint({ window: 0, modelHash: hash('x'), uri: 'u' }).then(receiptOf),
    );
    expect(error).toMatchObject({ reason: 'rejected', chainCode: 'Subnet__NotValidator' });
  });
});

describe('nonces', () => {
  it('sends concurrent and quick sequential writes from one chain object in order', async () => {
    const validator = validators[0]!;
    const before = await provider.getTransactionCount(validator.address);
    const window = await currentWindow();
    const concurrent = await Promise.all([
      validator.publishCheckpoint({ window, modelHash: hash('c1'), uri: 'c1' }).then(receiptOf),
      validator.setWeights({ uids: [0, 1], weights: [1, 1] }),
      validator.publishCheckpoint({ window, modelHash: hash('c2'), uri: 'c2' }).then(receiptOf),
      validator.publishCheckpoint({ window, modelHash: hash('c3'), uri: 'c3' }).then(receiptOf),
    ]);
    const sequential = [];
    for (const name of ['s1', 's2', 's3'])
      sequential.push(
        await validator.publishCheckpoint({ window, modelHash: hash(name), uri: name }).then(receiptOf),
      );
    expect(new Set([...concurrent, ...sequential].map((r) => r.hash)).size).toBe(7);
    expect(await provider.getTransactionCount(validator.address)).toBe(before + 7);
    expect((await validator.latestCheckpoint())?.uri).toBe('s3');
  });

  it('resyncs from the chain when another sender used its next nonce', async () => {
    const { logger, lines } = logSink();
    const chain = await chainFor('validator-0', { logger });
    await chain.publishCheckpoint({ window: 0, modelHash: hash('warm'), uri: 'warm' }).then(receiptOf); // caches the next nonce
    const sameKey = new Wallet(keyOf('validator-0'), provider);
    await (await sameKey.sendTransaction({ to: sameKey.address, value: 1n })).wait();
    const receipt = await chain
      .publishCheckpoint({ window: 0, modelHash: hash('after'), uri: 'after' })
      .then(receiptOf);
    expect(receipt.block).toBeGreaterThan(0);
    expect(lines.some((l) => l.msg === 'sending a transaction failed, retrying' && l.reason === 'pool')).toBe(
      true,
    );
  });

  it('re-broadcasts the same signed bytes when the reply to a send is lost, so nothing is sent twice', async () => {
    // A proxy that forwards everything to anvil but cuts the connection after the first
    // eth_sendRawTransaction reached the node: the transaction is in, its reply is lost.
    let dropped = 0;
    const proxy = await startTestHttpServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        void fetch(anvil.rpcUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        }).then(async (reply) => {
          const text = await reply.text();
          if (dropped === 0 && body.includes('eth_sendRawTransaction')) {
            dropped += 1;
            request.socket.destroy();
            return;
          }
          response.writeHead(reply.status, { 'content-type': 'application/json' });
          response.end(text);
        });
      });
    });
    try {
      const { logger, lines } = logSink();
      const chain = await chainFor('validator-1', { logger, rpcUrl: proxy.url });
      const before = await provider.getTransactionCount(chain.address);
      const receipt = await chain
        .publishCheckpoint({ window: 0, modelHash: hash('once'), uri: 'once' })
        .then(receiptOf);
      expect(dropped).toBe(1);
      expect(await provider.getTransactionCount(chain.address)).toBe(before + 1);
      expect((await provider.getTransaction(receipt.hash))?.nonce).toBe(before);
      expect(
        lines.some(
          (l) => l.msg === 'sending a transaction failed, retrying' && l.resend === 'same signed bytes',
        ),
      ).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});

describe('weights, settlement and rewards', () => {
  it('commits weights, reveals them in the next epoch, settles from the one after and pays rewards', async () => {
    const epoch = await freshEpoch();
    const committed = await validators[0]!.setWeights({ uids: [4, 0, 1], weights: [0.5, 0.25, 0.25] });
    await validators[1]!.setWeights({ uids: [0, 1, 4], weights: [1, 1, 2] });
    const commit = await validators[0]!.subnet.weightCommit(epoch, validatorUids[0]!);
    expect(Number(commit.commitBlock)).toBe(committed.block);
    expect(commit.revealBlock).toBe(0n);
    // nobody sees them during the epoch, and the reveal waits for the next one
    await validators[0]!.revealPendingWeights();
    expect(await miners[0]!.revealedWeights({ epoch })).toEqual([]);

    await mineUntil(epochStart(epoch + 1));
    await Promise.all([validators[0]!.revealPendingWeights(), validators[1]!.revealPendingWeights()]);
    await validators[0]!.revealPendingWeights(); // nothing left to reveal
    // u16 max-upscaled: [0.5, 0.25, 0.25] → 65535, 32768, 32768
    expect(await miners[0]!.revealedWeights({ epoch })).toEqual([
      {
        validatorUid: validatorUids[0],
        validator: validators[0]!.address,
        uids: [0, 1, 4],
        weights: [32768 / 131071, 32768 / 131071, 65535 / 131071],
      },
      {
        validatorUid: validatorUids[1],
        validator: validators[1]!.address,
        uids: [0, 1, 4],
        weights: [32768 / 131071, 32768 / 131071, 65535 / 131071],
      },
    ]);

    const head = await provider.getBlockNumber();
    expect(await miners[0]!.settleEpoch({ epoch })).toEqual({
      status: 'not-open',
      opensAt: epochStart(epoch + 2),
    });
    await mineUntil(epochStart(epoch + 2));
    const receipt = receiptOf(await miners[0]!.settleEpoch({ epoch })); // settles every earlier epoch first
    expect(receipt?.block).toBeGreaterThan(head);
    expect(await nextEpochOnChain()).toBe(epoch + 1);
    expect(await miners[1]!.settleEpoch({ epoch })).toEqual({ status: 'already-settled' });

    const { neurons } = await miners[0]!.metagraph();
    const incentive = neurons.filter((n) => !n.isValidator).map((n) => n.incentive);
    expect(incentive.every((x) => x >= 0 && x <= 1)).toBe(true);
    expect(incentive.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(neurons.find((n) => n.uid === 2)!.incentive).toBe(0);
    expect(neurons.find((n) => n.uid === validatorUids[0])!.dividends).toBeGreaterThan(0);

    const miner = miners[minerUids.indexOf(4)]!;
    const before = await miner.rewards();
    expect(before.claimable).toBeGreaterThan(0n);
    expect(before.claimed).toBe(0n);
    await miner.claim();
    expect(await miner.rewards()).toEqual({ claimable: 0n, claimed: before.claimable });
    expect(await miner.tokenBalance()).toBe(before.claimable);
    expect(await validators[0]!.rewards({ address: miner.address })).toEqual({
      claimable: 0n,
      claimed: before.claimable,
    });
    const again = await rejectionOf(miner.claim());
    expect(again).toMatchObject({ reason: 'rejected', chainCode: 'Subnet__NothingToClaim' });
  });

  it('keeps salts in the reveal store file, so a restarted validator reveals; a later commit replaces an earlier', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-evm-reveals-'));
    try {
      const revealStatePath = join(dir, 'reveals.json');
      const epoch = await freshEpoch();
      const first = await chainFor('validator-0', { revealStatePath });
      await first.setWeights({ uids: [0], weights: [1] });
      await first.setWeights({ uids: [1, 2], weights: [1, 3] }); // replaces the commit above
      const stored = JSON.parse(readFileSync(revealStatePath, 'utf8')) as Array<Record<string, unknown>>;
      expect(stored).toEqual([
        expect.objectContaining({ epoch, uids: [1, 2], values: [21845, 65535], validator: first.address }),
      ]);
      await first.disconnect();

      await mineUntil(epochStart(epoch + 1));
      const restarted = await chainFor('validator-0', { revealStatePath });
      // setWeights reveals what is due before committing the next epoch's weights
      await restarted.setWeights({ uids: [3], weights: [1] });
      expect(await restarted.revealedWeights({ epoch })).toEqual([
        {
          validatorUid: validatorUids[0],
          validator: restarted.address,
          uids: [1, 2],
          weights: [21845 / 87380, 65535 / 87380],
        },
      ]);
      expect(JSON.parse(readFileSync(revealStatePath, 'utf8'))).toEqual([
        expect.objectContaining({ epoch: epoch + 1, uids: [3] }),
      ]);
      // a commit left unrevealed past its reveal epoch is dropped, not sent
      await mineUntil(epochStart(epoch + 3));
      await restarted.revealPendingWeights();
      expect(JSON.parse(readFileSync(revealStatePath, 'utf8'))).toEqual([]);
      expect(await restarted.revealedWeights({ epoch: epoch + 1 })).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('commits again for the epoch a commit landed in when it missed the epoch it was hashed for', async () => {
    const { lines, logger } = logSink();
    const validator = await chainFor('validator-1', { logger });
    const epoch = await freshEpoch();
    // the commit is hashed for `epoch` in its last block, and lands only in the next epoch
    await mineUntil(epochStart(epoch + 1) - 1);
    await anvil.rpc('evm_setAutomine', [false]);
    let committing: Promise<unknown> | undefined;
    try {
      committing = validator.setWeights({ uids: [2], weights: [1] });
      for (let i = 0; i < 500; i++) {
        const pending = (await anvil.rpc('eth_getBlockByNumber', ['pending', false])) as {
          transactions: unknown[];
        };
        if (pending.transactions.length > 0) break;
        await sleep(5);
      }
      await anvil.rpc('evm_setBlockGasLimit', ['0x5208']); // too small for the commit: empty blocks
      await anvil.mine(1);
    } finally {
      await anvil.rpc('evm_setBlockGasLimit', [`0x${(30_000_000).toString(16)}`]);
      await anvil.rpc('evm_setAutomine', [true]);
    }
    await anvil.mine(1);
    await committing;
    expect(
      lines.some((line) => line.msg === 'weight commit landed in the next epoch; committing again for it'),
    ).toBe(true);
    const commit = await validator.subnet.weightCommit(epoch + 1, validatorUids[1]!);
    expect(Number(commit.commitBlock)).toBeGreaterThanOrEqual(epochStart(epoch + 1));
    await mineUntil(epochStart(epoch + 2));
    await validator.revealPendingWeights();
    expect((await validator.revealedWeights({ epoch: epoch + 1 })).map((r) => r.uids)).toEqual([[2]]);
  });

  it('settles once when two settle at the same time: the one that lost counts it as nothing to do', async () => {
    const epoch = (await currentEpoch()) - 2;
    const next = await nextEpochOnChain();
    for (let e = next; e < epoch; e++) await miners[0]!.settleEpoch({ epoch: e });
    expect(await nextEpochOnChain()).toBe(epoch);
    await anvil.rpc('evm_setAutomine', [false]);
    let results: Awaited<ReturnType<EvmChain['settleEpoch']>>[];
    try {
      const racing = [miners[1]!.settleEpoch({ epoch }), miners[2]!.settleEpoch({ epoch })];
      for (let i = 0; i < 500; i++) {
        const pending = (await anvil.rpc('eth_getBlockByNumber', ['pending', false])) as {
          transactions: unknown[];
        };
        if (pending.transactions.length >= 2) break;
        await sleep(5);
      }
      await anvil.mine(1); // both land in one block; the second reverts
      results = await Promise.all(racing);
    } finally {
      await anvil.rpc('evm_setAutomine', [true]);
    }
    expect(results.filter((r) => r.status === 'settled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'already-settled')).toHaveLength(1);
    expect(await nextEpochOnChain()).toBe(epoch + 1);
  });

  it('re-estimates and sends once more when a racing transaction made the settlement run out of gas', async () => {
    const { logger, lines } = logSink();
    // no headroom over the estimate, so any work added before inclusion runs it out of gas
    const settler = await chainFor('settler', { logger, gasHeadroomPercent: 0 });
    const newcomer = new Wallet(keyOf('miner-racing'), provider);
    await anvil.rpc('anvil_setBalance', [newcomer.address, `0x${parseEther('10').toString(16)}`]);
    const pendingCount = async () =>
      ((await anvil.rpc('eth_getBlockByNumber', ['pending', false])) as { transactions: unknown[] })
        .transactions.length;
    const waitForPending = async (count: number) => {
      for (let i = 0; i < 500 && (await pendingCount()) < count; i++) await sleep(5);
    };
    // the registration below would change the metagraph the later tests read
    const before = await anvil.rpc<string>('evm_snapshot');
    try {
      const epoch = await nextEpochOnChain();
      await mineUntil(epochStart(epoch + 2));
      await anvil.rpc('evm_setAutomine', [false]);
      let settling: ReturnType<EvmChain['settleEpoch']>;
      let raceBlock: number;
      try {
        settling = settler.settleEpoch({ epoch }); // estimated before the registration exists
        await waitForPending(1);
        // a registration with a higher tip is ordered first in the block: one more uid to settle
        await connectSubnet({ address: deployment.subnet, runner: newcomer }).registerMiner({
          value: deployment.params.registrationBurn,
          gasLimit: 1_000_000n,
          maxPriorityFeePerGas: parseUnits('50', 'gwei'),
          maxFeePerGas: parseUnits('500', 'gwei'),
        });
        await waitForPending(2);
        await anvil.mine(1);
        raceBlock = await provider.getBlockNumber();
      } finally {
        await anvil.rpc('evm_setAutomine', [true]);
      }
      // the second send may have reached the pool before automine was back on
      let done = false;
      const settled = settling.finally(() => (done = true));
      while (!done) {
        if ((await pendingCount()) > 0) await anvil.mine(1);
        await sleep(10);
      }
      const receipt = receiptOf(await settled);

      const block = (await provider.getBlock(raceBlock, false))!;
      const raced = await Promise.all(block.transactions.map((h) => provider.getTransactionReceipt(h)));
      expect(raced.map((r) => [r!.from, r!.status])).toEqual([
        [newcomer.address, 1],
        [settler.address, 0],
      ]);
      expect(receipt?.block).toBeGreaterThan(raceBlock);
      expect(await nextEpochOnChain()).toBe(epoch + 1);
      expect(lines.filter((l) => l.msg === 'settlement reverted; estimating and sending again')).toHaveLength(
        1,
      );
    } finally {
      await anvil.rpc('evm_revert', [before]);
    }
  });
});

describe('stake', () => {
  it('delegates to a validator, approving first, and unstakes', async () => {
    const delegator = await chainFor('delegator');
    await giveTokens(delegator.address, 50n * TOKEN);
    const stakeOf = async () =>
      (await delegator.metagraph()).neurons.find((n) => n.uid === validatorUids[1])!.stake;
    const before = await stakeOf();
    await Promise.all([
      delegator.delegate({ validatorUid: validatorUids[1]!, amount: 20n * TOKEN }),
      delegator.delegate({ validatorUid: validatorUids[1]!, amount: 10n * TOKEN }),
    ]);
    expect(await stakeOf()).toBe(before + 30n * TOKEN);
    await delegator.unstake({ validatorUid: validatorUids[1]!, amount: 5n * TOKEN });
    expect(await stakeOf()).toBe(before + 25n * TOKEN);
    expect(await delegator.tokenBalance()).toBe(25n * TOKEN);
    expect(
      await rejectionOf(delegator.delegate({ validatorUid: validatorUids[1]!, amount: 26n * TOKEN })),
    ).toMatchObject({
      reason: 'insufficient-funds',
    });
    await validators[1]!.stake({ amount: 10n * TOKEN });
    expect(await stakeOf()).toBe(before + 35n * TOKEN);
  });

  it('reads without a key and refuses to write', async () => {
    const reader = await createEvmChain({
      rpcUrl: anvil.rpcUrl,
      deployment: { subnet: deployment.subnet },
      pollMs: 10,
    });
    chains.push(reader);
    expect(reader.canSign).toBe(false);
    expect(reader.tokenAddress).toBe(deployment.token);
    expect((await reader.metagraph()).neurons).toHaveLength(7);
    expect(await rejectionOf(reader.claim())).toMatchObject({ reason: 'bad-signer' });
  });
});

describe('when the RPC is down', () => {
  it('fails to connect with a Retryable connection error after bounded attempts', async () => {
    const { logger, lines } = logSink();
    const port = await freePort();
    const error = await rejectionOf(
      createEvmChain({
        rpcUrl: `http://127.0.0.1:${port}`,
        deployment,
        privateKey: keyOf('x'),
        logger,
        retry: fast,
      }),
    );
    expect(error).toBeInstanceOf(RetryableChainError);
    expect(error).toMatchObject({ reason: 'connection' });
    expect(lines.filter((l) => l.msg === 'chain call failed, retrying')).toHaveLength(fast.attempts - 1);
  });

  it('stops retrying at once when the signal aborts', async () => {
    const controller = new AbortController();
    const port = await freePort();
    const pending = createEvmChain({
      rpcUrl: `http://127.0.0.1:${port}`,
      deployment,
      retry: { attempts: 50, baseDelayMs: 1_000 },
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    expect(await rejectionOf(pending)).toMatchObject({ reason: 'aborted' });
  });

  it('turns reads and writes into Retryable errors once the node stops', async () => {
    const { logger, lines } = logSink();
    const miner = await chainFor('miner-0', { logger });
    await anvil.stop();
    const read = await rejectionOf(miner.metagraph());
    expect(read).toBeInstanceOf(RetryableChainError);
    expect(read).toMatchObject({ reason: 'connection' });
    const write = await rejectionOf(
      miner.commit({ window: 0, digest: hash('d'), uri: 'u', modelHash: hash('m') }).then(receiptOf),
    );
    expect(write).toMatchObject({ reason: 'connection', retryable: true });
    expect(lines.filter((l) => l.msg === 'chain call failed, retrying')).toHaveLength(
      2 * (fast.attempts - 1),
    );
  });
});
