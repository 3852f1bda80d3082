import { DataError } from '../errors/data.js';
import { createTokenizer } from './createTokenizer.js';
import { trainTokenizer } from './trainTokenizer.js';

const texts = ['low lower lowest newer newest'];

describe('trainTokenizer', () => {
  it('merges the most frequent pair first and breaks ties by the smaller pair', () => {
    const tokenizer = trainTokenizer({ texts, vocabSize: 262 });
    // 'we' occurs 4 times, 'lo' 3 times; then four pairs tie at 2 and go in id order.
    expect(tokenizer.merges).toEqual([
      [119, 101],
      [108, 111],
      [32, 110],
      [32, 257],
      [101, 256],
      [115, 116],
    ]);
    expect(tokenizer.merges.map((_, i) => tokenizer.decode([256 + i]))).toEqual([
      'we',
      'lo',
      ' n',
      ' lo',
      'ewe',
      'st',
    ]);
    expect(tokenizer.vocabSize).toBe(262);
  });

  it('gives the same tokenizer whatever the order of the texts', () => {
    const a = trainTokenizer({ texts: ['the cat sat', 'on the mat', 'the end'], vocabSize: 270 });
    const b = trainTokenizer({ texts: ['the end', 'on the mat', 'the cat sat'], vocabSize: 270 });
    expect(b.id).toBe(a.id);
    expect(b.merges).toEqual(a.merges);
  });

  it('stops early when the texts run out of pairs, and rejects a vocabulary below 256', () => {
    expect(trainTokenizer({ texts: ['ab'], vocabSize: 300 }).vocabSize).toBe(257);
    expect(() => trainTokenizer({ texts, vocabSize: 255 })).toThrow(DataError);
  });
});

describe('createTokenizer', () => {
  const tokenizer = trainTokenizer({ texts, vocabSize: 262 });

  it('round-trips any text, unseen characters and odd spacing included', () => {
    for (const text of [
      '',
      'lowest newest',
      '  two  spaces\n\nand lines\t',
      'naïve café — 東京 🙂',
      "it's we'll 1,234.5",
    ]) {
      expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
    }
  });

  it('uses the merges: a known word becomes few tokens, in rank order', () => {
    expect(Array.from(tokenizer.encode(' lowest'))).toEqual([259, 256, 261]); // ' lo' 'we' 'st'
    expect(Array.from(tokenizer.encode('newer'))).toEqual([110, 260, 114]); // 'n' 'ewe' 'r'
  });

  it('is rebuilt from its merges with the same id and splits', () => {
    const rebuilt = createTokenizer({ merges: tokenizer.merges });
    expect(rebuilt.id).toBe(tokenizer.id);
    expect(Array.from(rebuilt.encode('lower newest'))).toEqual(Array.from(tokenizer.encode('lower newest')));
  });

  it('rejects merges of tokens that do not exist yet and ids outside the vocabulary', () => {
    expect(() => createTokenizer({ merges: [[256, 1]] })).toThrow(/does not exist yet/);
    expect(() => tokenizer.decode([262])).toThrow(expect.objectContaining({ reason: 'bad-tokens' }));
    expect(() => tokenizer.decode([-1])).toThrow(DataError);
  });
});
