import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tcpRefused } from './_test/tcpExchange.js';
import { waitUntil } from './_test/waitUntil.js';
import { tetheredCommand } from './tetheredCommand.js';

// A service started by a process that is then killed with SIGKILL (no exit hook runs) must
// go with it: the port it held is free again. Each case starts the service from a child
// Node process, so the test can kill that process for real.

const root = fileURLToPath(new URL('../../../', import.meta.url));
// The parent-death signal is Linux's (prctl through util-linux's setpriv): elsewhere
// tetheredCommand runs the command as it is, as the first test checks, and there is no
// tether to see working.
const onLinux = process.platform === 'linux' ? it : it.skip;

/** Starts `script` (an ES module body that prints a port) in a child process; resolves with the child and the port. */
function startParent(script: string): Promise<{ kill(): void; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = /^(\d+)\n/.exec(stdout);
      if (line) resolve({ kill: () => child.kill('SIGKILL'), port: Number(line[1]) });
    });
    child.once('exit', (code) =>
      reject(new Error(`parent exited ${code} before printing a port\n${stderr}`)),
    );
  });
}

describe('tetheredCommand', () => {
  it('wraps the command in setpriv on Linux and leaves it as it is elsewhere', () => {
    const [file, args] = tetheredCommand('redis-server', ['--port', '1']);
    if (process.platform === 'linux') {
      expect(file).toBe('/usr/bin/setpriv');
      expect(args).toEqual(['--pdeathsig', 'KILL', '--', 'redis-server', '--port', '1']);
    } else {
      expect([file, args]).toEqual(['redis-server', ['--port', '1']]);
    }
  });

  const services = [
    ['redis-server', 'packages/devtools/src/startRedisServer.ts', 'startRedisServer'],
    ['anvil', 'packages/devtools/src/startAnvil.ts', 'startAnvil'],
  ] as const;

  for (const [name, module, start] of services) {
    onLinux(
      `${name} goes when the process that started it is killed with SIGKILL`,
      async () => {
        const parent = await startParent(
          `import { ${start} } from ${JSON.stringify(`${root}${module}`)};\n` +
            `const service = await ${start}();\n` +
            `process.stdout.write(service.port + '\\n');\n` +
            `setInterval(() => undefined, 1000);`,
        );
        expect(await tcpRefused(parent.port)).toBe(false);
        parent.kill();
        expect(await waitUntil(() => tcpRefused(parent.port))).toBe(true);
      },
      60_000,
    );
  }
});
