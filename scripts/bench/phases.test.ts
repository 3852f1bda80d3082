import { phaseSamplesOf, roleOfLog } from './phases.js';

describe('phaseSamplesOf', () => {
  it('reads the phases of each role’s per-window lines and passes over the rest', () => {
    const lines = [
      JSON.stringify({ msg: 'window committed', phases: { sync: 0.5, train: 3, commit: 1.25 } }),
      JSON.stringify({ msg: 'window committed', phases: { sync: 0.25, train: 2 } }),
      JSON.stringify({ msg: 'update uploaded after the deadline', seconds: 0.04 }),
      JSON.stringify({ msg: 'update evaluated', seconds: 1.5 }),
      JSON.stringify({ msg: 'update downloaded', seconds: 'fast' }),
      JSON.stringify({ msg: 'window processed', phases: { wait: -1 } }),
      'not json',
      '[1,2]',
      JSON.stringify({ msg: 'miner started' }),
    ];
    expect(Object.fromEntries(phaseSamplesOf(lines))).toEqual({
      sync: [0.5, 0.25],
      train: [3, 2],
      commit: [1.25],
      upload: [0.04],
      evaluate: [1.5],
    });
  });
});

describe('roleOfLog', () => {
  it('names the role by the log file’s name', () => {
    expect(roleOfLog('0-validator.log')).toBe('validator');
    expect(roleOfLog('2-worker2.log')).toBe('worker');
    expect(roleOfLog('4-miner3.log')).toBe('miner');
    expect(roleOfLog('7-late.log')).toBe('miner');
    expect(roleOfLog('8-api.log')).toBeUndefined();
  });
});
