import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { reasonOf } from '../../_test/rejectionOf.js';
import { startChopsticks } from '../../_test/startChopsticks.js';
import type { LocalSubstrateChain } from '../../_test/startChopsticks.js';
import { createLogger } from '../../common/logger.js';
import { sleep } from '../../common/shutdown.js';
import type { Hex32 } from '../types.js';
import { connectSubstrate } from './connectSubstrate.js';
import { createSubtensorChain } from './createSubtensorChain.js';
import { decodeTesseraCommitment } from './decodeTesseraCommitment.js';
import { encodeTesseraCommitment } from './encodeTesseraCommitment.js';
import { joinCommitmentFields } from './joinCommitmentFields.js';
import { retryChainCall } from '../retryChainCall.js';
import { toChainError } from './toChainError.js';
import { splitCommitmentFields } from './splitCommitmentFields.js';
import { submitExtrinsic } from './submitExtrinsic.js';
import type { TesseraRecord } from './types.js';
import { freePort } from '@tessera/devtools';

/**
 * These run a real Substrate runtime (Rococo Asset Hub's genesis runtime, from the chain spec
 * in @substrate/connect-known-chains) offline in Chopsticks, served over WebSocket on loopback.
 * It has no SubtensorModule or commitments pallet, so they exercise everything beneath those:
 * connecting, signing, submitting, dispatch and pool errors, storage reads, reconnecting, and
 * Tessera's commitment bytes carried through a real extrinsic and read back from the block.
 * The SubnetChain conformance suite (`_test/describeSubnetChain.ts`) cannot run here: the
 * backend refuses this runtime before it returns a chain (the last tests check that refusal).
 */

const fast = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100 };

/** @polkadot/api reports drops and init notes on the console; the tests provoke drops on purpose. */
function quietPolkadotLogs(): () => void {
  const originals = { error: console.error, warn: console.warn };
  for (const level of ['error', 'warn'] as const) {
    console[level] = (...args: unknown[]) => {
      if (/\b(API-WS|API\/INIT|RPC-CORE):/.test(args.map(String).join(' '))) return;
      originals[level](...args);
    };
  }
  return () => Object.assign(console, originals);
}

describe('subtensor backend on a real Substrate runtime (Chopsticks, offline)', () => {
  let local: LocalSubstrateChain;
  let api: ApiPromise;
  let alice: KeyringPair;
  let bob: KeyringPair;
  let eve: KeyringPair;
  let restoreConsole: () => void = () => {};

  const freeBalance = async (who: KeyringPair) => {
    const account = (await api.query.system!.account!(who.address)) as unknown as {
      data: { free: { toBigInt(): bigint } };
    };
    return account.data.free.toBigInt();
  };

  beforeAll(async () => {
    restoreConsole = quietPolkadotLogs();
    local = await startChopsticks();
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519' });
    alice = keyring.addFromUri('//Alice');
    bob = keyring.addFromUri('//Bob');
    eve = keyring.addFromUri('//Eve');
    await local.dev('dev_setStorage', [
      {
        System: {
          Account: [
            [[alice.address], { providers: 1, data: { free: 10n ** 16n } }],
            [[bob.address], { providers: 1, data: { free: 10n ** 12n } }],
          ],
        },
      },
    ]);
    api = await connectSubstrate({ wsUrl: local.wsUrl, retry: fast });
  });

  afterAll(async () => {
    await api?.disconnect();
    await local?.stop();
    restoreConsole();
    // @polkadot/api drops its shared subscriptions 1750 ms after the last unsubscribe (an rxjs
    // timer); let it fire so the process exits cleanly instead of being force-closed.
    await sleep(1_800);
  });

  it('connects and reads the chain and storage', async () => {
    expect(api.runtimeVersion.specName.toString()).toBe('statemine');
    expect((await api.rpc.system.chain()).toString()).toBe('asset-hub-rococo');
    expect(await freeBalance(alice)).toBe(10n ** 16n);
    expect(await freeBalance(eve)).toBe(0n);
  });

  it('signs, submits and waits for a transfer; storage shows it', async () => {
    const before = await freeBalance(bob);
    const { receipt, blockHash, events } = await submitExtrinsic({
      api,
      tx: api.tx.balances!.transferKeepAlive!(bob.address, 123_456_789n),
      signer: alice,
      action: 'transfer',
    });
    expect(receipt.hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(receipt.block).toBe((await api.rpc.chain.getHeader(blockHash)).number.toNumber());
    expect(receipt.gasUsed).toBeGreaterThan(0n);
    expect(events.map(({ event }) => `${event.section}.${event.method}`)).toContain('balances.Transfer');
    expect((await freeBalance(bob)) - before).toBe(123_456_789n);
  });

  it('carries a Tessera commitment through a real extrinsic and reads it back from the block', async () => {
    const records: TesseraRecord[] = [
      {
        kind: 'update',
        window: 42,
        digest: `0x${'5a'.repeat(32)}` as Hex32,
        modelHash: `0x${'c3'.repeat(32)}` as Hex32,
        uri: `http://127.0.0.1:8080/updates/42/${'k'.repeat(120)}`,
      },
    ];
    const payload = encodeTesseraCommitment({ records });
    const fields = splitCommitmentFields({ payload, maxFields: 3, maxRawBytes: 128 });
    expect(fields.length).toBe(2);
    // The runtime has no commitments pallet: the fields travel, concatenated, as a remark.
    const onChain = joinCommitmentFields(
      fields.map((f) => ({ variant: Object.keys(f)[0] as string, bytes: Object.values(f)[0] as Uint8Array })),
    ) as Uint8Array;
    const { receipt, blockHash, events } = await submitExtrinsic({
      api,
      // Bytes from a Uint8Array would be read as already length-prefixed: pass hex.
      tx: api.tx.system!.remarkWithEvent!(u8aToHex(onChain)),
      signer: alice,
      action: 'remark',
    });
    const remarked = events.find(({ event }) => event.method === 'Remarked');
    expect(remarked?.event.data[1]?.toHex()).toBe(blake2AsHex(payload, 256));

    const block = await api.rpc.chain.getBlock(blockHash);
    const extrinsic = block.block.extrinsics.find((x) => x.hash.toHex() === receipt.hash);
    expect(extrinsic?.signer.toString()).toBe(api.createType('AccountId32', alice.publicKey).toString());
    const bytes = (extrinsic?.method.args[0] as unknown as { toU8a(bare: boolean): Uint8Array }).toU8a(true);
    expect(decodeTesseraCommitment(bytes)).toEqual({ ok: true, records });
  });

  it('turns a failed dispatch into a typed, non-retryable error with the module error', async () => {
    const failure = submitExtrinsic({
      api,
      tx: api.tx.balances!.transfer!(eve.address, 10n ** 18n),
      signer: bob,
      action: 'transfer',
    });
    await expect(failure).rejects.toMatchObject({
      reason: 'insufficient-funds',
      retryable: false,
      chainCode: 'Balances.InsufficientBalance',
    });
  });

  it('reports an account that cannot pay fees without retrying', async () => {
    const retries: unknown[] = [];
    const logger = createLogger({
      level: 'warn',
      format: 'json',
      write: (line) => retries.push(JSON.parse(line)),
    });
    const failure = submitExtrinsic({
      api,
      tx: api.tx.system!.remark!('0x01'),
      signer: eve,
      action: 'remark',
      retry: fast,
      logger,
    });
    await expect(failure).rejects.toMatchObject({
      reason: 'insufficient-funds',
      retryable: false,
      chainCode: 'InvalidTransaction.Payment',
    });
    expect(retries).toEqual([]);
  });

  it('survives a dropped connection: reads retry until the provider reconnects', async () => {
    local.dropConnections();
    const retries: unknown[] = [];
    const logger = createLogger({
      level: 'warn',
      format: 'json',
      write: (line) => retries.push(JSON.parse(line)),
    });
    const head = await retryChainCall({
      action: 'read the head',
      classify: toChainError,
      logger,
      retry: { attempts: 8, baseDelayMs: 250, maxDelayMs: 1_000 },
      run: async () => (await api.rpc.chain.getHeader()).number.toNumber(),
    });
    expect(head).toBeGreaterThanOrEqual(3);
    expect(retries.length).toBeGreaterThan(0);
    expect(retries[0]).toMatchObject({ msg: 'chain call failed, retrying', reason: 'connection' });
  });

  it('fails clearly when the node cannot be reached or the URL is wrong', async () => {
    const port = await freePort();
    await expect(
      connectSubstrate({ wsUrl: `ws://127.0.0.1:${port}`, retry: fast, reconnectDelayMs: 50 }),
    ).rejects.toMatchObject({
      reason: 'connection',
      retryable: true,
    });
    expect(await reasonOf(connectSubstrate({ wsUrl: 'http://127.0.0.1:9944' }))).toBe('invalid-parameter');
  });

  it('refuses a runtime without SubtensorModule and commitments, naming what is missing, and closes', async () => {
    const attempt = createSubtensorChain({ wsUrl: local.wsUrl, netuid: 1, signer: '//Alice', retry: fast });
    await expect(attempt).rejects.toMatchObject({ reason: 'unsupported-runtime', retryable: false });
    await expect(attempt).rejects.toThrow(/storage subtensorModule\.keys.*call commitments\.setCommitment/s);
  });

  it('refuses a bad signer before connecting', async () => {
    for (const signer of [
      'not a mnemonic at all',
      '',
      '0x1234',
      'bottom drive obey lake curtain smoke basket hold race lonely fit fit',
    ]) {
      expect(await reasonOf(createSubtensorChain({ wsUrl: local.wsUrl, netuid: 1, signer }))).toBe(
        'bad-signer',
      );
    }
    expect(
      await reasonOf(
        createSubtensorChain({ wsUrl: local.wsUrl, netuid: 1, signer: '//Alice', coldkey: 'typo' }),
      ),
    ).toBe('bad-signer');
    expect(
      await reasonOf(createSubtensorChain({ wsUrl: local.wsUrl, netuid: 70_000, signer: '//Alice' })),
    ).toBe('invalid-parameter');
  });
});
