/**
 * Gas of the Subnet's hot paths on anvil, by (validators, miners): a miner's commit, a
 * validator's commitWeights and revealWeights on every miner, and settleEpoch, first (bonds
 * and balances written from zero) and steady (the epoch after). Gas is deterministic, so one
 * run per size suffices.
 */
import {
  AbiCoder,
  JsonRpcProvider,
  JsonRpcSigner,
  dataSlice,
  getAddress,
  id,
  keccak256,
  parseEther,
  toUtf8Bytes,
} from 'ethers';
import { connectSubnet, connectToken, deploySubnet, waitForReceipt } from '@tessera/contracts';
import { createRandom } from '@tessera/core';
import type { SubnetContract } from '@tessera/contracts';
import type { Bench, BenchResult } from './types.js';
import { startAnvil } from '@tessera/devtools';

const TOKEN = 10n ** 18n;
/** anvil's default block gas limit, the budget settleEpoch must fit in. */
const BLOCK_GAS_LIMIT = 30_000_000;

function median(values: bigint[]): number {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Number(sorted[Math.floor(sorted.length / 2)] ?? 0n);
}

async function measure(validators: number, miners: number): Promise<BenchResult> {
  const anvil = await startAnvil({ autoImpersonate: true, gasLimit: BLOCK_GAS_LIMIT });
  const provider = new JsonRpcProvider(anvil.rpcUrl, anvil.chainId, {
    staticNetwork: true,
    cacheTimeout: -1,
    batchMaxCount: 1,
    pollingInterval: 20,
  });
  try {
    const [first] = (await provider.send('eth_accounts', [])) as string[];
    const deployer = new JsonRpcSigner(provider, getAddress(first!));
    const blocksPerWindow = 4 * (validators * 3 + miners) + 100;
    const deployment = await deploySubnet({
      signer: deployer,
      params: {
        blocksPerWindow,
        windowsPerEpoch: 1,
        maxUids: validators + miners,
        maxValidators: validators,
        maxValidatorPermits: validators,
        immunityPeriod: 0,
        weightsRateLimit: 1,
        minValidatorStake: 100n * TOKEN,
      },
    });
    const subnet = connectSubnet({ address: deployment.subnet, runner: provider });
    const token = connectToken({ address: deployment.token, runner: deployer });
    const account = async (label: string) => {
      const address = getAddress(dataSlice(id(`tessera-bench-${label}`), 12));
      await provider.send('anvil_setBalance', [address, `0x${parseEther('100').toString(16)}`]);
      return new JsonRpcSigner(provider, address);
    };
    const send = async (pending: Promise<{ hash: string }>) => {
      const receipt = await waitForReceipt({ provider, hash: (await pending).hash, pollMs: 5 });
      if (receipt.status !== 1) throw new Error(`transaction ${receipt.hash} reverted`);
      return receipt.gasUsed;
    };

    const validatorSigners: JsonRpcSigner[] = [];
    for (let v = 0; v < validators; v++) {
      const signer = await account(`validator-${v}`);
      const stake = (100n + BigInt(v) * 37n) * TOKEN;
      await send(token.transfer(signer.address, stake));
      await send(token.connect(signer).approve(deployment.subnet, stake));
      await send(subnet.connect(signer).registerValidator(stake));
      validatorSigners.push(signer);
    }
    const minerSigners: JsonRpcSigner[] = [];
    for (let m = 0; m < miners; m++) {
      const signer = await account(`miner-${m}`);
      await send(subnet.connect(signer).registerMiner({ value: deployment.params.registrationBurn }));
      minerSigners.push(signer);
    }
    const minerUids = Array.from({ length: miners }, (_, m) => validators + m);

    const window = await subnet.currentWindow();
    const commitGas: bigint[] = [];
    let uriLength = 0;
    for (const [m, signer] of minerSigners.entries()) {
      const digest = keccak256(toUtf8Bytes(`update-${m}`));
      const uri = `file:///var/lib/tessera/updates/w${String(window).padStart(6, '0')}/uid${String(minerUids[m]).padStart(4, '0')}-${digest.slice(2, 18)}.bin`;
      uriLength = uri.length;
      commitGas.push(
        await send(subnet.connect(signer).commit(window, digest, uri, keccak256(toUtf8Bytes('model')))),
      );
    }

    // Seeded, so every run sets the same weights.
    const { next } = createRandom({ seed: validators * 1000 + miners });
    type Pending = { signer: JsonRpcSigner; epoch: bigint; weights: number[]; salt: string };
    /** Every validator commits weights on every miner for the current epoch. */
    const commitAll = async (s: SubnetContract) => {
      const epoch = await s.currentEpoch();
      const gas: bigint[] = [];
      const pending: Pending[] = [];
      for (const [v, signer] of validatorSigners.entries()) {
        const weights = minerUids.map(() => 1 + Math.floor(next() * 65_535));
        const salt = id(`salt-${v}-${epoch}`);
        const hash = keccak256(
          AbiCoder.defaultAbiCoder().encode(
            ['address', 'uint64', 'uint16[]', 'uint16[]', 'bytes32'],
            [signer.address, epoch, minerUids, weights, salt],
          ),
        );
        gas.push(await send(s.connect(signer).commitWeights(hash)));
        pending.push({ signer, epoch, weights, salt });
      }
      return { gas, pending };
    };
    const revealAll = async (s: SubnetContract, pending: Pending[]) => {
      const gas: bigint[] = [];
      for (const p of pending)
        gas.push(await send(s.connect(p.signer).revealWeights(p.epoch, minerUids, p.weights, p.salt)));
      return gas;
    };
    const mineTo = async (block: bigint) =>
      anvil.mine(Math.max(0, Number(block) - (await provider.getBlockNumber()) - 1));

    // epoch 0 commits; epoch 1 reveals them and commits again; epoch 2 settles 0 and reveals 1; epoch 3 settles 1
    const initial = await commitAll(subnet);
    await mineTo(await subnet.epochEndBlock(0));
    const revealFirst = await revealAll(subnet, initial.pending);
    const steady = await commitAll(subnet);
    await mineTo(await subnet.epochEndBlock(1));
    const settleFirst = await send(subnet.connect(deployer).settleEpoch(0));
    const revealSteady = await revealAll(subnet, steady.pending);
    await mineTo(await subnet.epochEndBlock(2));
    const settleSteady = await send(subnet.connect(deployer).settleEpoch(1));

    return {
      bench: 'gas',
      validators,
      miners,
      commitGas: median(commitGas),
      commitWeightsGas: median(initial.gas),
      commitWeightsSteadyGas: median(steady.gas),
      revealWeightsGas: median(revealFirst),
      revealWeightsSteadyGas: median(revealSteady),
      settleEpochGas: Number(settleFirst),
      settleEpochSteadyGas: Number(settleSteady),
      settleShareOfBlock: Number(settleFirst) / BLOCK_GAS_LIMIT,
      uriBytes: uriLength,
    };
  } finally {
    provider.destroy();
    await anvil.stop();
  }
}

export const gasBench: Bench = {
  name: 'gas',
  description:
    "Gas on anvil by (validators, miners), every validator permitted and weighting every miner (the worst case). Weights go on chain in two steps: commitWeights (a hash) in epoch c, revealWeights (uids, weights, salt) in epoch c + 1; settleEpoch(c) is accepted from epoch c + 2. Columns: commit (a miner's window commitment, median, ~70-byte uri); commitWeights and revealWeights per validator (median), for the first epoch and the steady one after; settleEpoch of the first epoch (bonds written from zero) and of the next (steady); and the first settlement as a share of a 30M block. (16, 272) and (32, 112) are the largest the constructor accepts.",
  async *run({ quick }) {
    // The last two are the heaviest configurations the constructor accepts
    // (maxValidatorPermits × maxUids = 4608 at 16 and at 32 permits).
    const sizes: [number, number][] = quick
      ? [[4, 16]]
      : [
          [4, 16],
          [16, 64],
          [16, 256],
          [16, 272],
          [32, 112],
        ];
    for (const [validators, miners] of sizes) yield await measure(validators, miners);
  },
};
