import type { PublishAggregateOutcome } from '@tessera/core';
import { chainWrite } from './chainWrite.js';
import type { NextModel } from './buildNextModel.js';
import type { ModelFiles } from './createModelFiles.js';
import { publishVerdicts } from './publishVerdicts.js';
import type { WindowServices } from './types.js';

/** Parameters of {@link publishAggregate}. */
export type PublishAggregateParameters = Pick<
  WindowServices,
  'chain' | 'sync' | 'store' | 'redis' | 'keys' | 'metrics' | 'logger' | 'signal'
> & {
  window: number;
  next: NextModel;
  files: ModelFiles;
  /** Whether this validator holds a permit; without one it publishes nothing. */
  permitted: boolean;
};

/**
 * Step 10: with a permit, uploads θ_{w+1} as a checkpoint file, writes the window's verdicts
 * beside it (`publishVerdicts`) and publishes the aggregate of w with the model file's URI (an empty set too: it tells followers the window was seen; a chain write
 * that fails is logged and counted). Either way θ_{w+1} is offered to the model sync
 * (`sync.offer`), which takes it at the next window instead of downloading and replaying the
 * set, if the chain's lead aggregate of w names its hash.
 *
 * @example
 * await publishAggregate({ ...services, window: w, next, files, permitted });
 */
export async function publishAggregate(parameters: PublishAggregateParameters): Promise<void> {
  const { chain, sync, metrics, logger, window, next, files, permitted } = parameters;
  const { uids, hash, normBound } = next;
  metrics.aggregateSize.set(uids.length);
  sync.offer({ window: window + 1, parameters: next.parameters, hash });
  if (!permitted) {
    logger.info('no validator permit: aggregate not published', { uids, modelHash: hash });
    return;
  }
  const uri = await files.put({ window: window + 1, parameters: next.parameters, hash });
  await publishVerdicts({ ...parameters, uids, hash, modelUri: uri });
  let outcome: PublishAggregateOutcome | undefined;
  const ok = await chainWrite({
    ...parameters,
    operation: 'publish_aggregate',
    write: async () => {
      outcome = await chain.publishAggregate({ window, uids, modelHash: hash, normBound, uri });
    },
  });
  if (outcome?.status === 'already-published') logger.info('publish_aggregate: already done');
  else if (ok) logger.info('aggregate published', { uids, modelHash: hash, normBound });
}
