import { formatFields, formatTable } from './table.js';

describe('formatTable', () => {
  it('pads each column to its widest cell, right-aligning where asked, with no trailing spaces', () => {
    const text = formatTable({
      columns: [{ header: 'UID', align: 'right' }, { header: 'ROLE' }, { header: 'NOTE' }],
      rows: [
        ['0', 'validator', ''],
        ['12', 'miner', 'late'],
      ],
    });
    expect(text).toBe('UID  ROLE       NOTE\n  0  validator\n 12  miner      late\n');
  });

  it('keeps a hostile cell on one line: breaks, escapes and direction marks become spaces', () => {
    const text = formatTable({
      columns: [{ header: 'URI' }],
      rows: [['http://x/\n\u001b[2Jfake row\u202eevil\u200b']],
    });
    expect(text.split('\n')).toHaveLength(3);
    for (const mark of ['\u001b', '\u202e', '\u200b']) expect(text).not.toContain(mark);
  });

  it('refuses a row whose cells do not match the columns', () => {
    expect(() => formatTable({ columns: [{ header: 'A' }, { header: 'B' }], rows: [['1']] })).toThrow(
      'table row 1 has 1 cells for 2 columns',
    );
  });
});

describe('formatFields', () => {
  it('lines values up after the longest label', () => {
    expect(
      formatFields([
        ['uid', '3'],
        ['claimable', '1.5 TSR'],
      ]),
    ).toBe('uid        3\nclaimable  1.5 TSR\n');
  });
});
