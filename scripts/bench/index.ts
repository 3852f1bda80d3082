import { gasBench } from './gas.js';
import { storageBench } from './storage.js';
import { trainBench } from './train.js';
import { codecBench } from './codec.js';
import { apiBench } from './api.js';
import { parityBench } from './parity.js';
import { phasesBench } from './phases.js';
import { presetsBench } from './presets.js';
import type { Bench } from './types.js';

/** Every benchmark, in the order `npm run bench` runs them. Add new ones here. */
export const benches: Bench[] = [
  storageBench,
  codecBench,
  gasBench,
  trainBench,
  apiBench,
  parityBench,
  phasesBench,
  presetsBench,
];
