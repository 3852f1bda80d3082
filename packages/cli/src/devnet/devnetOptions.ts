import { Type } from '@sinclair/typebox';
import { logFields } from '@tessera/core';
import type { OptionsOf } from '@tessera/core';
import { adversarialValidatorKinds, strategyNames } from '@tessera/gauntlet';

/** Options of `tessera devnet` (and `npm run devnet`). */
export const devnetOptionsSchema = Type.Object({
  /** Honest miners. @default 3 */
  miners: Type.Integer({ description: 'Honest miners to run.', default: 3, minimum: 0, maximum: 32 }),
  /** Validators. @default 1 */
  validators: Type.Integer({ description: 'Validators to run.', default: 1, minimum: 1, maximum: 8 }),
  /** Extra validators that do not evaluate, one per entry. @default [] */
  validatorAdversaries: Type.Array(Type.Union(adversarialValidatorKinds.map((kind) => Type.Literal(kind))), {
    description: `Extra validators that do not evaluate, one per listed kind (${adversarialValidatorKinds.join(', ')}).`,
    default: [],
  }),
  /** Stake of each evaluating validator, in tokens (the others stake 1000). @default 1000 */
  validatorStake: Type.Integer({
    description: 'Stake of each evaluating validator in tokens; validator adversaries stake 1000.',
    default: 1000,
    minimum: 1,
  }),
  /** Extra miners with other strategies, one per entry. @default [] */
  adversaries: Type.Array(Type.Union(strategyNames.map((name) => Type.Literal(name))), {
    description: `Extra miners, one per listed strategy (${strategyNames.join(', ')}).`,
    default: [],
  }),
  /** Stop after this many windows have been evaluated; 0 runs until Ctrl-C. @default 0 */
  windows: Type.Integer({
    description: 'Stop after this many windows are evaluated; 0 runs until Ctrl-C.',
    default: 0,
    minimum: 0,
  }),
  /** Seconds between blocks. @default 1 */
  blockTime: Type.Number({
    description: 'Seconds between blocks of the local chain.',
    default: 1,
    exclusiveMinimum: 0,
  }),
  /** Blocks per window. @default 20 */
  blocksPerWindow: Type.Integer({ description: 'Blocks per window.', default: 20, minimum: 4 }),
  /** Windows per epoch. @default 3 */
  windowsPerEpoch: Type.Integer({
    description: 'Windows per epoch (weights and emissions once per epoch).',
    default: 3,
    minimum: 1,
  }),
  /** Hyperparameter overrides as a JSON object, on top of the tiny preset. @default '{}' */
  hyperparameters: Type.String({
    description: 'JSON object of hyperparameter overrides on the tiny preset.',
    default: '{}',
    placeholder: 'json',
  }),
  /** Folder for the deployment, run config and every role's state; wiped at start. @default '.devnet' */
  stateDir: Type.String({
    description: 'Folder for the deployment, run config and state (wiped at start).',
    default: '.devnet',
    placeholder: 'path',
  }),
  /** Port of the REST API and dashboard over the devnet; 0 runs none. @default 0 */
  apiPort: Type.Integer({
    description: 'Serve the REST API and dashboard on this loopback port (e.g. 8787); 0 runs none.',
    default: 0,
    minimum: 0,
    maximum: 65535,
  }),
  /** Print one JSON summary line at the end (and no table). @default false */
  json: Type.Boolean({
    description: 'Print a JSON summary as the last stdout line instead of the table.',
    default: false,
  }),
  ...logFields({ logLevel: 'warn' }),
});

/** The devnet's options. */
export type DevnetOptions = OptionsOf<typeof devnetOptionsSchema>;
