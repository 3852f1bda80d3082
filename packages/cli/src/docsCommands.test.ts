import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, buildOptions } from '@tessera/core';
import { repositoryRoot } from './_test/roleProcesses.js';
import { commands } from './commands/all.js';

/**
 * Every `tessera …` command line in the README and docs/ is one the CLI accepts: the command
 * exists and each flag in it is one of its own, with a value of the right kind. Shell
 * variables and `<placeholders>` stand for values of the kind their flag takes; a line that
 * ends in `...` gives only some of its flags, and the ones it gives are checked.
 */

/** Sample values for the shell variables the docs use, by name. */
const variables: Record<string, string> = {
  KEY: `0x${'ab'.repeat(32)}`,
  PRIVATE_KEY: `0x${'ab'.repeat(32)}`,
  RPC: 'http://127.0.0.1:8545',
  WS: 'ws://127.0.0.1:9944',
  COLDKEY: '//Alice',
  HOTKEY: '//Alice//hot',
  ADDRESS: `0x${'12'.repeat(20)}`,
};

/** The words of one shell command line: quotes and backslashes as sh reads them, `$VAR` expanded. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  const push = (text: string) => (word = (word ?? '') + text);
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      push(line.slice(i + 1, end));
      i = end;
    } else if (c === '"') {
      const end = line.indexOf('"', i + 1);
      push(expand(line.slice(i + 1, end)));
      i = end;
    } else if (c === '\\') {
      push(line[++i] ?? '');
    } else if (c === '#' && word === undefined) {
      break;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '$') {
      const name = /^\$\{?([A-Z_][A-Z0-9_]*)\}?/.exec(line.slice(i))!;
      push(expand(name[0]));
      i += name[0].length - 1;
    } else push(c);
  }
  if (word !== undefined) words.push(word);
  return words;
}

function expand(text: string): string {
  return text.replace(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g, (_, name: string) => {
    const value = variables[name];
    if (value === undefined) throw new Error(`the docs use $${name}; give it a sample value in this test`);
    return value;
  });
}

/** The `tessera` command lines of a Markdown file's sh/bash/console blocks, continuation lines joined. */
function commandLines(markdown: string): { line: string; text: string }[] {
  const found: { line: string; text: string }[] = [];
  const blocks = markdown.matchAll(/```(?:sh|bash|shell|console)\n([\s\S]*?)```/g);
  for (const block of blocks) {
    const joined = block[1]!.replace(/\\\n\s*/g, ' ').split('\n');
    for (const raw of joined) {
      const text = raw.replace(/^\$\s+/, '').trim();
      const match = /^(?:npx\s+)?(?:npm run tessera --|tessera)\s+(.*)$/.exec(text);
      if (match) found.push({ line: text, text: match[1]! });
    }
  }
  return found;
}

const documents = [
  'README.md',
  ...readdirSync(join(repositoryRoot, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name)),
];
const cases = documents.flatMap((document) =>
  commandLines(readFileSync(join(repositoryRoot, document), 'utf8')).map(({ line, text }) => ({
    document,
    line,
    text,
  })),
);

describe('the command lines in the docs', () => {
  it('are there to check', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  it.each(cases)('$document: $line', ({ text }) => {
    // `<account>`, `<hotkey>`: a placeholder is one word of the value.
    let words = shellWords(text.replace(/<[^<>\s]+>/g, 'x'));
    const elided = words.indexOf('...');
    if (elided >= 0) words = words.slice(0, elided);
    // Pipes and redirections end the command.
    const end = words.findIndex((word) => ['|', '>', '>>', '&&', ';', '2>&1'].includes(word));
    if (end >= 0) words = words.slice(0, end);
    // `wallet create`: a group's action is the command's second word.
    const command = commands.find((c) => c.name.split(' ').every((word, i) => words[i] === word));
    expect(command?.name).toBe(words.slice(0, command?.name.split(' ').length ?? 1).join(' '));
    const argv = words.slice(command!.name.split(' ').length);
    if (argv.includes('--help') || argv.includes('-h')) return;
    try {
      buildOptions({ schema: command!.schema, argv, env: {} });
    } catch (error) {
      // A required option left out by a line that gives only some flags is the docs' choice.
      if (error instanceof ConfigError && elided >= 0) {
        const wrong = error.issues.filter((issue) => issue.source !== 'default');
        if (wrong.length === 0) return;
      }
      throw error;
    }
  });
});
