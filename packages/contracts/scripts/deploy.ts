/**
 * Deploys a Tessera subnet (settlement library, reward token, Subnet) to any EVM chain and
 * writes the deployment JSON that every role reads.
 *
 *   npm run deploy -w @tessera/contracts -- --rpc http://127.0.0.1:8545 --key 0x... \
 *     --run-config-hash 0x... --run-config run.json --out deployment.json
 *   TESSERA_DEPLOYER_KEY=0x... tsx --conditions=source packages/contracts/scripts/deploy.ts \
 *     --rpc https://... --params subnet.json --run-config-hash 0x... --out deployment.json
 *
 * The params file is a JSON object of SubnetParams fields (any subset; bigints as decimal
 * strings); missing fields take their defaults and the owner defaults to the deployer. The
 * run config hash is the one `tessera init` prints for the run.json; the Subnet records it
 * and every role compares its own run config's hash with it at start. The run config file,
 * when given, is written into the deployment JSON so roles can name the fields that differ.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { JsonRpcProvider, Wallet } from 'ethers';
import { ContractsError, deploySubnet, serializeDeployment, writeDeployment } from '@tessera/contracts';
import type { SubnetParamsInput } from '@tessera/contracts';

const usage = `Usage: deploy --rpc <url> --run-config-hash <hex> [--key <hex> | env TESSERA_DEPLOYER_KEY] [options]

Options:
  --rpc <url>              JSON-RPC endpoint of the chain (required)
  --key <hex>              deployer private key (else TESSERA_DEPLOYER_KEY)
  --params <file>          JSON file of subnet parameters (any subset; defaults for the rest)
  --run-config-hash <hex>  the run config's hash, as \`tessera init\` prints it (required)
  --run-config <file>      the run.json itself, copied into the deployment JSON
  --out <file>             where to write the deployment JSON (default: deployment.json)
  --token-name <name>      reward token name (default: Tessera)
  --token-symbol <symbol>  reward token symbol (default: TSR)
  --genesis-holder <addr>  receives the genesis allocation (default: the deployer)
  --genesis-supply <wei>   genesis allocation in the smallest unit (default: 10^24, a million tokens)
  --confirmations <n>      confirmations to wait for on each deployment (default: 1)
  -h, --help               show this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rpc: { type: 'string' },
      key: { type: 'string' },
      params: { type: 'string' },
      'run-config-hash': { type: 'string' },
      'run-config': { type: 'string' },
      out: { type: 'string', default: 'deployment.json' },
      'token-name': { type: 'string' },
      'token-symbol': { type: 'string' },
      'genesis-holder': { type: 'string' },
      'genesis-supply': { type: 'string' },
      confirmations: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(usage);
    return;
  }
  const problems: string[] = [];
  const key = values.key ?? process.env.TESSERA_DEPLOYER_KEY;
  if (!values.rpc) problems.push('--rpc is required');
  if (!key || !/^(0x)?[0-9a-fA-F]{64}$/.test(key))
    problems.push('a 32-byte hex --key (or TESSERA_DEPLOYER_KEY) is required');
  const supply = values['genesis-supply'];
  if (supply !== undefined && !/^\d+$/.test(supply))
    problems.push('--genesis-supply must be a whole number of the smallest unit');
  const confirmations = values.confirmations === undefined ? 1 : Number(values.confirmations);
  if (!Number.isInteger(confirmations) || confirmations < 1)
    problems.push('--confirmations must be a positive integer');
  const runConfigHash = values['run-config-hash'];
  if (
    runConfigHash === undefined ||
    !/^0x[0-9a-fA-F]{64}$/.test(runConfigHash) ||
    /^0x0{64}$/.test(runConfigHash)
  )
    problems.push(
      '--run-config-hash is required: the non-zero 32-byte hash `tessera init` prints for the run.json',
    );
  let runConfig: Record<string, unknown> | undefined;
  if (values['run-config']) {
    try {
      const json: unknown = JSON.parse(readFileSync(values['run-config'], 'utf8'));
      if (typeof json !== 'object' || json === null || Array.isArray(json))
        throw new Error('not a JSON object');
      runConfig = json as Record<string, unknown>;
    } catch (error) {
      problems.push(`--run-config ${values['run-config']}: ${(error as Error).message}`);
    }
  }
  let params: Partial<SubnetParamsInput> = {};
  if (values.params) {
    try {
      params = JSON.parse(readFileSync(values.params, 'utf8')) as Partial<SubnetParamsInput>;
    } catch (error) {
      problems.push(`--params ${values.params}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) {
    process.stderr.write(`${problems.map((p) => `error: ${p}`).join('\n')}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }

  const provider = new JsonRpcProvider(values.rpc, undefined, { cacheTimeout: -1 });
  try {
    const signer = new Wallet(key!, provider);
    const deployment = await deploySubnet({
      signer,
      params,
      token: {
        name: values['token-name'],
        symbol: values['token-symbol'],
        genesisHolder: values['genesis-holder'],
        genesisSupply: supply === undefined ? undefined : BigInt(supply),
      },
      confirmations,
      runConfigHash: runConfigHash as `0x${string}`,
      runConfig,
    });
    const out = resolve(values.out);
    await writeDeployment({ path: out, deployment });
    process.stdout.write(serializeDeployment(deployment));
    process.stderr.write(`Subnet ${deployment.subnet} on chain ${deployment.chainId}; wrote ${out}\n`);
  } finally {
    provider.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ContractsError ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
