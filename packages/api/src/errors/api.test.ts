import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError, apiErrorCatalogue } from './api.js';

describe('the error catalogue', () => {
  const docs = readFileSync(resolve(process.cwd(), 'docs/api.md'), 'utf8');

  // The rows of the errors table: code, status, meaning, how to solve.
  const rows = new Map(
    docs
      .split('\n')
      .filter((line) => /^\| `[A-Z_]+` +\|/.test(line))
      .map((line) => {
        const cells = line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim());
        return [cells[0]!.replaceAll('`', ''), cells.slice(1)] as const;
      }),
  );

  it.each(Object.entries(apiErrorCatalogue))(
    'documents %s in docs/api.md with its status and how to solve it',
    (code, entry) => {
      expect(rows.get(code)).toEqual([String(entry.statusCode), entry.title, entry.howToSolve]);
    },
  );

  it('lists nothing in the docs that the catalogue lacks', () => {
    expect([...rows.keys()].sort()).toEqual(Object.keys(apiErrorCatalogue).sort());
  });

  it('gives every error its status and hint, and a message of its own when given', () => {
    const error = new ApiError('NEURON_NOT_FOUND', { message: 'No neuron holds uid 7.' });
    expect([error.code, error.statusCode, error.shortMessage]).toEqual([
      'NEURON_NOT_FOUND',
      404,
      'No neuron holds uid 7.',
    ]);
    expect(error.hint).toBe(apiErrorCatalogue.NEURON_NOT_FOUND.howToSolve);
    expect(new ApiError('RATE_LIMITED').shortMessage).toBe('Too many requests.');
  });
});
