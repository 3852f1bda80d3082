import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ContractFactory, JsonRpcSigner, getCreateAddress } from 'ethers';
import { connectSubnet, connectToken } from './connectSubnet.js';
import { deploySubnet } from './deploySubnet.js';
import { DeployError, InvalidSubnetParamsError } from './errors.js';
import { abi as subnetAbi, bytecode as subnetBytecode, linkReferences } from './generated/Subnet.js';
import { abi as tokenAbi, bytecode as tokenBytecode } from './generated/TesseraToken.js';
import { linkBytecode } from './linkBytecode.js';
import { loadDeployment } from './loadDeployment.js';
import { resolveSubnetParams } from './resolveSubnetParams.js';
import { TOKEN, expectRevert, useChain } from './_test/fixtures.js';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(packageRoot, '../..');
// anvil's first dev account, from its default mnemonic
const ANVIL_KEY_0 = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const RUN_CONFIG_HASH = `0x${'5a'.repeat(32)}` as const;
const ZERO_HASH = `0x${'0'.repeat(64)}`;

const chain = useChain({ token: { name: 'Test', symbol: 'TST', genesisSupply: 5000n * TOKEN } });

describe('deploySubnet', () => {
  it('deploys a token only the Subnet can mint, with the genesis allocation to the deployer', async () => {
    const { deployment, token, deployer } = chain;
    expect(await token.minter()).toBe(deployment.subnet);
    expect(await token.name()).toBe('Test');
    expect(await token.balanceOf(deployer.address)).toBe(5000n * TOKEN);
    expect(await token.totalSupply()).toBe(5000n * TOKEN);
    const genesis = await token.queryFilter(token.filters.GenesisMinted!());
    expect(genesis.map((e) => ('args' in e ? [e.args[0], e.args[1]] : []))).toEqual([
      [deployer.address, 5000n * TOKEN],
    ]);
    await expectRevert(token.connect(deployer).mint(deployer.address, 1n), 'Token__NotMinter', [
      deployer.address,
    ]);
    expect(await chain.subnet.token()).toBe(deployment.token);
  });

  it('returns the deployment with the parameters as the chain holds them', async () => {
    const { deployment, deployer } = chain;
    expect(deployment.chainId).toBe(31337);
    expect(deployment.deployer).toBe(deployer.address);
    expect(deployment.params.owner).toBe(deployer.address);
    // startBlock 0 resolves to the deployment block
    expect(deployment.params.startBlock).toBe(deployment.deployBlock);
    expect(deployment.params).toEqual(
      resolveSubnetParams({ owner: deployer.address, startBlock: deployment.deployBlock }),
    );
    for (const address of [deployment.subnet, deployment.token, deployment.settlementLibrary]) {
      expect((await chain.provider.getCode(address)).length).toBeGreaterThan(2);
    }
    const receipt = await chain.provider.getTransactionReceipt(deployment.transactions.subnet);
    expect(receipt?.contractAddress).toBe(deployment.subnet);
  });

  it('checks the parameters before sending anything', async () => {
    const nonce = await chain.provider.getTransactionCount(chain.deployer.address);
    await expect(deploySubnet({ signer: chain.deployer, params: { kappaBps: 0 } })).rejects.toThrow(
      InvalidSubnetParamsError,
    );
    expect(await chain.provider.getTransactionCount(chain.deployer.address)).toBe(nonce);
  });

  it('records the run config hash it is given, and zero (none) without one', async () => {
    const runConfig = { runSeed: `0x${'01'.repeat(32)}`, modelPreset: 'tiny' };
    const deployment = await deploySubnet({
      signer: chain.deployer,
      runConfigHash: RUN_CONFIG_HASH,
      runConfig,
    });
    const subnet = connectSubnet({ address: deployment.subnet, runner: chain.provider });
    expect(await subnet.runConfigHash()).toBe(RUN_CONFIG_HASH);
    expect(deployment.runConfigHash).toBe(RUN_CONFIG_HASH);
    expect(deployment.runConfig).toEqual(runConfig);
    // The fixture's subnet was deployed without one.
    expect(await chain.subnet.runConfigHash()).toBe(ZERO_HASH);
    expect(chain.deployment.runConfigHash).toBeUndefined();
  });

  it('refuses a malformed run config hash, and a run config without its hash, before sending anything', async () => {
    const nonce = await chain.provider.getTransactionCount(chain.deployer.address);
    await expect(
      deploySubnet({ signer: chain.deployer, runConfigHash: '0x1234' as `0x${string}` }),
    ).rejects.toThrow(InvalidSubnetParamsError);
    await expect(
      deploySubnet({ signer: chain.deployer, runConfig: { modelPreset: 'tiny' } }),
    ).rejects.toThrow(InvalidSubnetParamsError);
    expect(await chain.provider.getTransactionCount(chain.deployer.address)).toBe(nonce);
  });

  it('refuses a signer without a provider', async () => {
    const signer = new JsonRpcSigner(chain.provider, chain.deployer.address);
    const detached = Object.assign(Object.create(Object.getPrototypeOf(signer) as object), signer, {
      provider: null,
    });
    await expect(deploySubnet({ signer: detached as JsonRpcSigner })).rejects.toThrow(DeployError);
  });
});

describe('Subnet constructor', () => {
  const linked = () =>
    linkBytecode({
      bytecode: subnetBytecode,
      linkReferences,
      libraries: { 'SubnetSettlement.sol:SubnetSettlement': chain.deployment.settlementLibrary },
    });

  it('refuses a token whose minter is another address', async () => {
    const other = await chain.account();
    const token = await new ContractFactory(tokenAbi, tokenBytecode, chain.deployer).deploy(
      'T',
      'T',
      other.address,
      other.address,
      0n,
    );
    await token.waitForDeployment();
    const tokenAddress = await token.getAddress();
    const factory = new ContractFactory(subnetAbi, linked(), chain.deployer);
    await expectRevert(
      factory.deploy(tokenAddress, chain.deployment.params, RUN_CONFIG_HASH),
      'Subnet__TokenMinterMismatch',
      [tokenAddress, other.address],
    );
  });

  it('refuses invalid parameters by name', async () => {
    const factory = new ContractFactory(subnetAbi, linked(), chain.deployer);
    const params = { ...chain.deployment.params };
    // a token whose minter is the address the next deployment will have
    const nonce = await chain.provider.getTransactionCount(chain.deployer.address);
    const subnetAddress = getCreateAddress({ from: chain.deployer.address, nonce: nonce + 1 });
    const token = await new ContractFactory(tokenAbi, tokenBytecode, chain.deployer).deploy(
      'T',
      'T',
      subnetAddress,
      chain.deployer.address,
      0n,
    );
    await token.waitForDeployment();
    for (const [field, value] of [
      ['kappaBps', 0],
      // strictly more than all the stake can never support a weight
      ['kappaBps', 10_000],
      ['blocksPerWindow', 0],
      ['deadlineGraceBlocks', params.blocksPerWindow],
      ['maxValidatorPermits', 33],
      ['emissionPerEpoch', 2n ** 96n],
    ] as const) {
      await expectRevert(
        factory.deploy(await token.getAddress(), { ...params, [field]: value }, RUN_CONFIG_HASH),
        'Subnet__InvalidParameter',
        [field],
      );
    }
    await expectRevert(
      factory.deploy(
        await token.getAddress(),
        { ...params, maxValidatorPermits: 32, maxValidators: 32, maxUids: 145 },
        RUN_CONFIG_HASH,
      ),
      'Subnet__InvalidParameter',
      ['maxValidatorPermits*maxUids'],
    );
  });
});

describe('deploy script', () => {
  it('deploys with a key and a params file and writes a deployment JSON others can load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-deploy-'));
    try {
      const paramsFile = join(dir, 'params.json');
      writeFileSync(paramsFile, JSON.stringify({ blocksPerWindow: 7, emissionPerEpoch: '12345' }));
      const runFile = join(dir, 'run.json');
      writeFileSync(runFile, JSON.stringify({ blocksPerWindow: 7, modelPreset: 'tiny' }));
      const out = join(dir, 'out', 'deployment.json');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          join(repoRoot, 'node_modules/tsx/dist/cli.mjs'),
          '--conditions=source',
          join(packageRoot, 'scripts/deploy.ts'),
          '--rpc',
          chain.anvil.rpcUrl,
          '--params',
          paramsFile,
          '--out',
          out,
          '--token-symbol',
          'DEV',
          '--run-config-hash',
          RUN_CONFIG_HASH,
          '--run-config',
          runFile,
        ],
        { cwd: repoRoot, env: { ...process.env, TESSERA_DEPLOYER_KEY: ANVIL_KEY_0 } },
      );
      const deployment = await loadDeployment({ path: out });
      expect(JSON.parse(stdout).subnet).toBe(deployment.subnet);
      expect(deployment.params.blocksPerWindow).toBe(7);
      expect(deployment.params.emissionPerEpoch).toBe(12345n);
      expect(deployment.tokenInfo.symbol).toBe('DEV');
      expect(deployment.runConfigHash).toBe(RUN_CONFIG_HASH);
      expect(deployment.runConfig).toEqual({ blocksPerWindow: 7, modelPreset: 'tiny' });
      const subnet = connectSubnet({ address: deployment.subnet, runner: chain.provider });
      expect((await subnet.params()).blocksPerWindow).toBe(7n);
      expect(await subnet.runConfigHash()).toBe(RUN_CONFIG_HASH);
      expect(await connectToken({ address: deployment.token, runner: chain.provider }).minter()).toBe(
        deployment.subnet,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains missing arguments', async () => {
    const run = promisify(execFile)(
      process.execPath,
      [
        join(repoRoot, 'node_modules/tsx/dist/cli.mjs'),
        '--conditions=source',
        join(packageRoot, 'scripts/deploy.ts'),
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, TESSERA_DEPLOYER_KEY: '' },
      },
    );
    await expect(run).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--rpc is required[^]*--run-config-hash is required/),
    });
  });
});
