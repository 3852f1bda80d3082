import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { BaseError } from '@tessera/errors';
import { tetheredCommand } from './tetheredCommand.js';

const run = promisify(execFile);

/**
 * A virtual network that could not be made or changed: no `ip` binary, not root, or a
 * kernel without network namespaces.
 *
 * @example
 * throw new VirtualNetworkError('Could not create network namespace.', { details: stderr });
 */
export class VirtualNetworkError extends BaseError {
  override name = 'VirtualNetworkError';
}

/** One host of a {@link VirtualNetwork}: a network namespace with one veth link to the switch. */
export type VirtualHost = {
  readonly name: string;
  /** The namespace's name, for `ip netns exec`. */
  readonly namespace: string;
  /** The host's address on the network (IPv4, no prefix length). */
  readonly ip: string;
  /**
   * The command line that runs `command` inside this host's namespace, tethered to this
   * process (killed when it dies): pass it to `spawn` or `execFile`.
   */
  command(command: string, args: readonly string[]): [string, string[]];
  /** Takes the host's link down: every packet to and from it is dropped, open connections included. */
  cut(): Promise<void>;
  /** Brings the link back up. */
  restore(): Promise<void>;
};

/** A set of hosts on one switched IPv4 network, each in its own network namespace. */
export type VirtualNetwork<Name extends string> = {
  readonly hosts: Readonly<Record<Name, VirtualHost>>;
  /** The address of this process (the root namespace) on the network: the test's own host. */
  readonly driverIp: string;
  /** The network, as `a.b.c.0/24`. */
  readonly cidr: string;
  /** Deletes every namespace and link it made. Safe to call twice. */
  destroy(): Promise<void>;
};

/** Parameters of {@link createVirtualNetwork}. */
export type CreateVirtualNetworkParameters<Name extends string> = {
  /** Host names, in address order (the first gets .2, the driver has .1). At most 200. */
  hosts: readonly Name[];
};

async function ip(args: readonly string[]): Promise<void> {
  try {
    await run('ip', [...args]);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new VirtualNetworkError(`ip ${args.join(' ')} failed.`, {
      cause: error,
      details: stderr || undefined,
      hint: 'Network namespaces need root (or CAP_NET_ADMIN and CAP_SYS_ADMIN) and iproute2.',
    });
  }
}

/**
 * Makes hosts as separate machines on one LAN would be: each host is a network namespace of
 * its own (its own loopback, its own ports) joined to a bridge, in a namespace of its own,
 * by a veth pair; the calling process joins the bridge too, at `.1`. Nothing but that network
 * connects the hosts, so a role that talks to another only through a URL it was given
 * works the same across real machines. `cut()` drops a host's link, as when its cable is
 * pulled.
 *
 * Names are random, so several networks may exist at once; `destroy()` removes everything
 * (and deleting a namespace deletes its links). Needs root: callers that can not run it must
 * fail, not skip.
 *
 * Written against iproute2 directly: no npm package manages namespaces, and the five `ip`
 * commands here are the whole interface.
 *
 * @example
 * const net = await createVirtualNetwork({ hosts: ['chain', 'miner'] });
 * spawn(...net.hosts.chain.command('anvil', ['--host', net.hosts.chain.ip]));
 * await net.destroy();
 */
export async function createVirtualNetwork<Name extends string>(
  parameters: CreateVirtualNetworkParameters<Name>,
): Promise<VirtualNetwork<Name>> {
  const names = parameters.hosts;
  if (names.length === 0 || names.length > 200 || new Set(names).size !== names.length) {
    throw new VirtualNetworkError('Host names must be 1 to 200 distinct names.', {
      details: names.join(', '),
    });
  }
  const id = randomBytes(3).toString('hex');
  const prefix = `10.${100 + (randomBytes(1)[0]! % 150)}.${randomBytes(1)[0]!}`;
  const switchNs = `tsr-${id}-sw`;
  const rootLink = `vr${id}`;
  const made: string[] = [];
  let rootLinkMade = false;

  const destroy = async (): Promise<void> => {
    if (rootLinkMade) {
      await ip(['link', 'del', rootLink]).catch(() => {});
      rootLinkMade = false;
    }
    for (const namespace of made.splice(0).reverse()) await ip(['netns', 'del', namespace]).catch(() => {});
  };

  try {
    await ip(['netns', 'add', switchNs]);
    made.push(switchNs);
    await ip(['-n', switchNs, 'link', 'add', 'br0', 'type', 'bridge']);
    await ip(['-n', switchNs, 'link', 'set', 'br0', 'up']);
    await ip(['-n', switchNs, 'link', 'set', 'lo', 'up']);

    // The driver: a veth from the root namespace to the bridge.
    await ip(['link', 'add', rootLink, 'type', 'veth', 'peer', 'name', `vs${id}`]);
    rootLinkMade = true;
    await ip(['link', 'set', `vs${id}`, 'netns', switchNs]);
    await ip(['-n', switchNs, 'link', 'set', `vs${id}`, 'master', 'br0', 'up']);
    await ip(['addr', 'add', `${prefix}.1/24`, 'dev', rootLink]);
    await ip(['link', 'set', rootLink, 'up']);

    const hosts = {} as Record<Name, VirtualHost>;
    for (const [index, name] of names.entries()) {
      const namespace = `tsr-${id}-${index}`;
      const switchEnd = `vs${id}${index}`;
      const hostIp = `${prefix}.${index + 2}`;
      await ip(['netns', 'add', namespace]);
      made.push(namespace);
      await ip(['-n', namespace, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', switchEnd]);
      await ip(['-n', namespace, 'link', 'set', switchEnd, 'netns', switchNs]);
      await ip(['-n', switchNs, 'link', 'set', switchEnd, 'master', 'br0', 'up']);
      await ip(['-n', namespace, 'addr', 'add', `${hostIp}/24`, 'dev', 'eth0']);
      await ip(['-n', namespace, 'link', 'set', 'eth0', 'up']);
      await ip(['-n', namespace, 'link', 'set', 'lo', 'up']);
      hosts[name] = {
        name,
        namespace,
        ip: hostIp,
        command: (command, args) => tetheredCommand('ip', ['netns', 'exec', namespace, command, ...args]),
        cut: () => ip(['-n', switchNs, 'link', 'set', switchEnd, 'down']),
        restore: () => ip(['-n', switchNs, 'link', 'set', switchEnd, 'up']),
      };
    }
    return { hosts, driverIp: `${prefix}.1`, cidr: `${prefix}.0/24`, destroy };
  } catch (error) {
    await destroy();
    throw error;
  }
}
