import { PassThrough } from 'node:stream';
import type { PromptStreams } from '../connect/confirmPlan.js';

/**
 * Streams for a confirmation prompt: a terminal that answers `answer`, or a pipe (no
 * terminal) when `answer` is undefined; `text()` is everything written to the output so far.
 *
 * @example
 * const io = answeringStreams('y\n');
 * await confirmPlan({ plan, yes: false, dryRun: false, streams: io });
 */
export function answeringStreams(answer: string | undefined): PromptStreams & { text: () => string } {
  const input = Object.assign(new PassThrough(), { isTTY: answer !== undefined });
  if (answer !== undefined) input.end(answer);
  let text = '';
  const output = new PassThrough();
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { input, output, text: () => text };
}
