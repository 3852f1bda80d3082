import type { Aggregate } from '../chain/types.js';
import { WindowVerdictsError } from '../errors/verdicts.js';
import type { StoreRouter } from '../storage/createStoreRouter.js';
import {
  MAX_WINDOW_VERDICTS_BYTES,
  WINDOW_VERDICTS_FORMAT,
  digestVerdictsBody,
  verdictsBodyProblem,
  windowVerdictsUri,
} from './windowVerdicts.js';
import type { WindowVerdicts, WindowVerdictsBody } from './windowVerdicts.js';

/** Parameters of {@link parseWindowVerdicts}. */
export type ParseWindowVerdictsParameters = {
  bytes: Uint8Array;
  /** The aggregate record on chain the file was read for; the file must describe it. */
  aggregate: Pick<Aggregate, 'window' | 'uids' | 'modelHash' | 'validator'>;
  /** @default MAX_WINDOW_VERDICTS_BYTES */
  maxBytes?: number | undefined;
};

/**
 * Reads a verdicts file strictly: at most `maxBytes`, JSON of exactly the schema of
 * {@link WindowVerdicts} (no other field), its `digest` keccak256 of the canonical body, and
 * its window, validator, model hash and aggregation set those of the aggregate on chain.
 *
 * @throws WindowVerdictsError `too-large`, `malformed`, `digest-mismatch` or `wrong-aggregate`.
 * @example
 * const verdicts = parseWindowVerdicts({ bytes, aggregate });
 */
export function parseWindowVerdicts(parameters: ParseWindowVerdictsParameters): WindowVerdicts {
  const { bytes, aggregate } = parameters;
  const maxBytes = parameters.maxBytes ?? MAX_WINDOW_VERDICTS_BYTES;
  if (bytes.length > maxBytes)
    throw new WindowVerdictsError('too-large', 'The verdicts file is too large.', {
      details: `${bytes.length} > ${maxBytes} bytes`,
    });
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new WindowVerdictsError('malformed', 'The verdicts file is not UTF-8 JSON.', { cause: error });
  }
  const malformed = (details: string) =>
    new WindowVerdictsError('malformed', 'The verdicts file does not follow its schema.', { details });
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw malformed('(file): an object');
  const file = value as Record<string, unknown>;
  const keys = Object.keys(file).sort().join(',');
  if (keys !== 'digest,format,modelHash,uids,validator,verdicts,version,window')
    throw malformed('(file): exactly format, version, window, validator, modelHash, uids, verdicts, digest');
  if (file.format !== WINDOW_VERDICTS_FORMAT) throw malformed(`format: ${WINDOW_VERDICTS_FORMAT}`);
  if (file.version !== 1) throw malformed('version: 1');
  if (typeof file.digest !== 'string' || !/^0x[0-9a-f]{64}$/.test(file.digest))
    throw malformed('digest: 0x and 64 lower-case hex digits');
  const body = file as unknown as WindowVerdictsBody;
  const problem = verdictsBodyProblem(body);
  if (problem !== undefined) throw malformed(problem);
  const digest = digestVerdictsBody(body);
  if (digest !== file.digest)
    throw new WindowVerdictsError(
      'digest-mismatch',
      'The verdicts file’s digest does not match its contents.',
      {
        details: `${String(file.digest)} != ${digest}`,
      },
    );
  const wrong = (details: string) =>
    new WindowVerdictsError('wrong-aggregate', 'The verdicts file belongs to another aggregate.', {
      details,
    });
  if (body.window !== aggregate.window) throw wrong(`window ${body.window} != ${aggregate.window}`);
  if (body.validator.toLowerCase() !== aggregate.validator.toLowerCase())
    throw wrong(`validator ${body.validator} != ${aggregate.validator}`);
  if (body.modelHash.toLowerCase() !== aggregate.modelHash.toLowerCase())
    throw wrong(`modelHash ${body.modelHash} != ${aggregate.modelHash}`);
  if (body.uids.join(',') !== aggregate.uids.join(','))
    throw wrong(`uids [${body.uids.join(',')}] != [${aggregate.uids.join(',')}]`);
  return file as unknown as WindowVerdicts;
}

/** Parameters of {@link fetchWindowVerdicts}. */
export type FetchWindowVerdictsParameters = {
  /** The aggregate whose verdicts to read (its `uri` names the model file beside them). */
  aggregate: Pick<Aggregate, 'window' | 'uids' | 'modelHash' | 'validator' | 'uri'>;
  router: Pick<StoreRouter, 'get'>;
  /** @default 10000 */
  timeoutMs?: number | undefined;
  /** @default MAX_WINDOW_VERDICTS_BYTES */
  maxBytes?: number | undefined;
  signal?: AbortSignal | undefined;
};

/**
 * Fetches and checks the verdicts published beside an aggregate (`windowVerdictsUri`), with
 * the byte cap applied while reading.
 *
 * @throws WindowVerdictsError for a file that fails {@link parseWindowVerdicts}; StorageError
 *   when it cannot be read (absent, unreachable, too large).
 * @example
 * const aggregate = await chain.aggregate({ window: 41 });
 * if (aggregate) console.log((await fetchWindowVerdicts({ aggregate, router })).verdicts);
 */
export async function fetchWindowVerdicts(
  parameters: FetchWindowVerdictsParameters,
): Promise<WindowVerdicts> {
  const { aggregate, router, signal } = parameters;
  const maxBytes = parameters.maxBytes ?? MAX_WINDOW_VERDICTS_BYTES;
  const bytes = await router.get({
    uri: windowVerdictsUri(aggregate.uri),
    maxBytes,
    timeoutMs: parameters.timeoutMs ?? 10_000,
    signal,
  });
  return parseWindowVerdicts({ bytes, aggregate, maxBytes });
}
