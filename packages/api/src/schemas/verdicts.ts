import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Nullable } from './common.js';

/** One uid's verdict in a window, as the validator's verdicts file has it. */
export const UidVerdict = Type.Object({
  uid: Type.Integer({ minimum: 0 }),
  status: Type.Union([Type.Literal('scored'), Type.Literal('rejected')]),
  reason: Nullable(
    Type.String({
      description: 'Rejection code (missing, missing:late, out-of-sync, not-assigned, …); null when scored.',
    }),
  ),
  score: Type.Number({
    minimum: 0,
    description: "The window's score, in units of the reference update's gain.",
  }),
  lossGain: Nullable(
    Type.Number({ description: 'Loss gain on the unseen pages, nats per token; null when not measured.' }),
  ),
  inAggregate: Type.Boolean(),
});
export type UidVerdict = Static<typeof UidVerdict>;

/** How the verdicts of a window were found. */
export const VerdictsState = Type.Union(
  [Type.Literal('published'), Type.Literal('unavailable'), Type.Literal('no-aggregate')],
  {
    description:
      'published: the file beside the aggregate was read and checked (size, schema, digest, aggregate); unavailable: it could not be read or failed a check (see error); no-aggregate: nobody published an aggregate for the window.',
  },
);

/** A window's published verdicts (`/v1/windows/{window}`). */
export const WindowVerdictsInfo = Type.Object({
  state: VerdictsState,
  validator: Nullable(Type.String({ description: 'The validator whose aggregate the verdicts belong to.' })),
  uri: Nullable(
    Type.String({ description: 'Where the verdicts file lies (beside the aggregate’s model file).' }),
  ),
  error: Nullable(Type.String()),
  verdicts: Type.Array(UidVerdict),
});
export type WindowVerdictsInfo = Static<typeof WindowVerdictsInfo>;

/** One window's verdict on one neuron (`/v1/neurons/{uid}`). */
export const NeuronWindowVerdict = Type.Object({
  window: Type.Integer({ minimum: 0 }),
  state: VerdictsState,
  validator: Nullable(Type.String()),
  verdict: Nullable(UidVerdict),
});
export type NeuronWindowVerdict = Static<typeof NeuronWindowVerdict>;
