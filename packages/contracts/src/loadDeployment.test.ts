import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeploymentFileError, InvalidSubnetParamsError } from './errors.js';
import { linkBytecode } from './linkBytecode.js';
import { loadDeployment, parseDeployment, serializeDeployment, writeDeployment } from './loadDeployment.js';
import type { Deployment } from './loadDeployment.js';
import { defaultSubnetParams, resolveSubnetParams } from './resolveSubnetParams.js';

const owner = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const hash = `0x${'ab'.repeat(32)}` as const;

const deployment: Deployment = {
  version: 1,
  chainId: 31337,
  subnet: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  token: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
  settlementLibrary: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0',
  deployer: owner,
  deployBlock: 3,
  params: resolveSubnetParams({ owner, startBlock: 3 }),
  tokenInfo: { name: 'Tessera', symbol: 'TSR', genesisHolder: owner, genesisSupply: 10n ** 24n },
  transactions: { settlementLibrary: hash, token: hash, subnet: hash },
};

describe('resolveSubnetParams', () => {
  it('fills defaults and checksums the owner', () => {
    const params = resolveSubnetParams({
      owner: owner.toLowerCase(),
      blocksPerWindow: 10,
      emissionPerEpoch: '5',
    });
    expect(params.owner).toBe(owner);
    expect(params.blocksPerWindow).toBe(10);
    expect(params.emissionPerEpoch).toBe(5n);
    expect(params.kappaBps).toBe(defaultSubnetParams.kappaBps);
    expect(Object.isFrozen(params)).toBe(true);
  });

  it('lists every bad field at once', () => {
    let error: unknown;
    try {
      resolveSubnetParams({
        owner: 'nope',
        blocksPerWindow: 0,
        kappaBps: 10_001,
        maxUids: 4,
        maxValidators: 8,
        bogus: 1,
      } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidSubnetParamsError);
    const lines = (error as InvalidSubnetParamsError).metaMessages ?? [];
    expect(lines.map((l) => l.split(':')[0])).toEqual(
      expect.arrayContaining(['bogus', 'owner', 'blocksPerWindow', 'kappaBps', 'maxValidators']),
    );
  });

  it('applies the cross-field rules of the constructor', () => {
    expect(() => resolveSubnetParams({ owner, blocksPerWindow: 5, deadlineGraceBlocks: 5 })).toThrow(
      /deadlineGraceBlocks/,
    );
    expect(() => resolveSubnetParams({ owner, emissionPerEpoch: 2n ** 96n })).toThrow(/emissionPerEpoch/);
    expect(() => resolveSubnetParams({ owner, minValidatorStake: 0n })).toThrow(/minValidatorStake/);
    expect(() => resolveSubnetParams({ owner, maxValidatorPermits: 32, maxUids: 145 })).toThrow(/4608/);
    expect(resolveSubnetParams({ owner, maxValidatorPermits: 32, maxUids: 144 }).maxUids).toBe(144);
  });
});

describe('deployment files', () => {
  it('round-trips through JSON with bigints as decimal strings', () => {
    const text = serializeDeployment(deployment);
    expect(JSON.parse(text).params.emissionPerEpoch).toBe(deployment.params.emissionPerEpoch.toString());
    expect(parseDeployment(JSON.parse(text))).toEqual(deployment);
  });

  it('names every malformed field', () => {
    const bad = { ...JSON.parse(serializeDeployment(deployment)), subnet: '0x12', chainId: -1, version: 2 };
    bad.transactions.token = 'x';
    bad.params.kappaBps = 0;
    let error: unknown;
    try {
      parseDeployment(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeploymentFileError);
    const fields = ((error as DeploymentFileError).metaMessages ?? []).map((l) => l.split(':')[0]);
    expect(fields).toEqual(
      expect.arrayContaining(['version', 'subnet', 'chainId', 'transactions.token', 'params.kappaBps']),
    );
  });

  it('writes and loads a file, and explains a missing or broken one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-deployment-'));
    try {
      const path = join(dir, 'nested', 'deployment.json');
      await writeDeployment({ path, deployment });
      expect(await loadDeployment({ path })).toEqual(deployment);
      await expect(loadDeployment({ path: join(dir, 'missing.json') })).rejects.toThrow(DeploymentFileError);
      writeFileSync(join(dir, 'broken.json'), '{');
      await expect(loadDeployment({ path: join(dir, 'broken.json') })).rejects.toThrow(/not JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('linkBytecode', () => {
  const placeholder = `__$${'1'.repeat(34)}$__`;
  const bytecode = `0x6000${placeholder}6001`;
  const linkReferences = { 'L.sol': { L: [{ start: 2, length: 20 }] } };

  it('writes the library address over its placeholder', () => {
    const linked = linkBytecode({ bytecode, linkReferences, libraries: { 'L.sol:L': owner } });
    expect(linked).toBe(`0x6000${owner.slice(2).toLowerCase()}6001`);
  });

  it('refuses a missing library', () => {
    expect(() => linkBytecode({ bytecode, linkReferences, libraries: {} })).toThrow(/L\.sol:L/);
  });
});
