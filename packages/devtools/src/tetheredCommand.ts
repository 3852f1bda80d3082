import { existsSync } from 'node:fs';

const setpriv = '/usr/bin/setpriv';

/** Exit status of a tethered command whose program could not be executed (not found, not executable). */
export const tetheredExecFailed = 127;

/**
 * The command line that starts `command` tethered to this process: on Linux, through
 * util-linux's `setpriv --pdeathsig KILL`, so the kernel kills it when this process dies by
 * any means, SIGKILL included, when no exit hook runs. A devnet killed hard, or a test
 * worker the runner force-exits, then leaves no redis-server or anvil behind holding a port.
 * Elsewhere, or without setpriv, the command as it is.
 *
 * A program that cannot be executed then shows as exit status {@link tetheredExecFailed}
 * instead of a spawn error.
 *
 * @example
 * const [file, args] = tetheredCommand('redis-server', ['--port', '6380']);
 * spawn(file, args, { stdio: 'ignore' });
 */
export function tetheredCommand(command: string, args: readonly string[]): [string, string[]] {
  if (process.platform !== 'linux' || !existsSync(setpriv)) return [command, [...args]];
  return [setpriv, ['--pdeathsig', 'KILL', '--', command, ...args]];
}
