import { Interface, Result } from 'ethers';
import type { Log } from 'ethers';
import { abi as subnetAbi } from './generated/Subnet.js';
import type { EventArgs, EventName } from './typedContract.js';

/** Names of the Subnet's events. */
export type SubnetEventName = EventName<typeof subnetAbi>;

/** One decoded Subnet event, discriminated by `name`, with where it happened. */
export type SubnetEvent = {
  [N in SubnetEventName]: {
    name: N;
    args: EventArgs<typeof subnetAbi, N>;
    address: string;
    blockNumber: number;
    transactionHash: string;
    logIndex: number;
  };
}[SubnetEventName];

const subnetInterface = new Interface(subnetAbi);

function plain(value: unknown): unknown {
  return value instanceof Result ? Array.from(value, plain) : value;
}

/**
 * Decodes raw logs into typed Subnet events, skipping logs of other contracts or events.
 *
 * @param parameters.logs Logs from `provider.getLogs` or a receipt.
 * @returns The Subnet events, in the order given, with plain arguments (arrays, bigints, strings).
 * @example
 * const logs = await provider.getLogs({ address: deployment.subnet, fromBlock: 0 });
 * for (const event of decodeSubnetLogs({ logs }))
 *   if (event.name === 'MinerReward') console.log(event.args.epoch, event.args.uid, event.args.amount);
 */
export function decodeSubnetLogs(parameters: { logs: readonly Log[] }): SubnetEvent[] {
  const events: SubnetEvent[] = [];
  for (const log of parameters.logs) {
    let parsed;
    try {
      parsed = subnetInterface.parseLog({ topics: [...log.topics], data: log.data });
    } catch {
      continue;
    }
    if (!parsed) continue;
    const args = Object.fromEntries(
      parsed.fragment.inputs.map((input, i) => [input.name, plain(parsed.args[i])]),
    );
    events.push({
      name: parsed.name,
      args,
      address: log.address,
      blockNumber: log.blockNumber,
      transactionHash: log.transactionHash,
      logIndex: log.index,
    } as SubnetEvent);
  }
  return events;
}
