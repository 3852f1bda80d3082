import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TObject } from '@sinclair/typebox';
import { buildOptions } from '@tessera/core';
import { commands } from './commands/all.js';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples');
// anvil's first well-known development key, a placeholder for the key a real host keeps in its environment.
const env = { TESSERA_PRIVATE_KEY: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcd8ff6a6d6ad3b7c4' };

/** Dotted paths of the schema's `secret: true` fields. */
function secretKeysOf(schema: TObject, at: readonly string[] = []): string[] {
  return Object.entries(schema.properties).flatMap(([name, property]) => {
    const here = [...at, name];
    if ('properties' in property) return secretKeysOf(property as TObject, here);
    return (property as { secret?: unknown }).secret === true ? [here.join('.')] : [];
  });
}

function has(data: unknown, path: string): boolean {
  let current = data;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return false;
    current = (current as Record<string, unknown>)[part];
  }
  return true;
}

describe('examples/', () => {
  it('has a config for every role, and only for commands that exist', async () => {
    const files = (await readdir(examples)).filter((name) => name.endsWith('.json')).sort();
    expect(files).toEqual(['api.json', 'miner.json', 'validator.json', 'worker.json']);
    const names = new Set(commands.map((c) => c.name));
    for (const file of files) expect(names.has(file.replace(/\.json$/, ''))).toBe(true);
  });

  for (const role of ['miner', 'validator', 'worker', 'api']) {
    it(`examples/${role}.json is a complete, valid \`tessera ${role}\` config with no secrets in it`, async () => {
      const command = commands.find((c) => c.name === role);
      if (!command) throw new Error(`no command ${role}`);
      const path = join(examples, `${role}.json`);
      const data: unknown = JSON.parse(await readFile(path, 'utf8'));
      // Strict: without other commands' keys, so a role's example holds only its own options.
      const options = buildOptions({ schema: command.schema, argv: ['--config', path], env });
      expect(command.check?.(options) ?? []).toEqual([]);
      for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
        expect([key, (options as Record<string, unknown>)[key]]).toEqual([key, value]);
      }
      expect(secretKeysOf(command.schema).filter((key) => has(data, key))).toEqual([]);
    });
  }
});
