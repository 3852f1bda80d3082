import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../common/logger.js';
import { tempDir } from '../_test/tempDir.js';
import { testCorpus } from '../_test/testCorpus.js';
import { createCorpus, heldOutDocumentEvery } from './createCorpus.js';
import type { Corpus } from './createCorpus.js';
import { readBrownCorpus } from './readBrownCorpus.js';
import type { CorpusDocument } from './readBrownCorpus.js';

let corpus: Corpus;
let documents: CorpusDocument[];

beforeAll(async () => {
  corpus = await testCorpus({ pageTokens: 64 });
  documents = await readBrownCorpus();
});

describe('readBrownCorpus', () => {
  it('reads the 500 texts in corpus order as plain English', () => {
    expect(documents).toHaveLength(500);
    expect(documents[0]).toMatchObject({ id: 'ca01', category: 'news' });
    expect(documents.at(-1)).toMatchObject({ id: 'cr09', category: 'humor' });
    expect(
      documents[0]!.text.startsWith('The Fulton County Grand Jury said Friday an investigation of'),
    ).toBe(true);
    expect(documents[0]!.text).toContain('produced "no evidence" that any irregularities took place.');
    // No part-of-speech tags are left (the corpus's own "and/or" is text, not a tag).
    expect(documents.some((d) => /\w\/(at|nn|vbd?|in|jj|np)\b/.test(d.text))).toBe(false);
  });
});

describe('createCorpus', () => {
  it('builds the same tokenizer on every machine (a fixed id for vocabulary 512)', () => {
    expect(corpus.tokenizer.vocabSize).toBe(512);
    expect(corpus.tokenizer.id).toBe('0x509a71556032838956ceac4c167ae0db84949b69f8214cc4825b614a57d4f6c1');
  });

  it('cuts pages of pageTokens + 1 tokens that overlap their neighbours by one token', () => {
    expect(corpus.pageLength).toBe(65);
    expect(corpus.trainPageCount).toBe(Math.floor((corpus.trainTokenCount - 1) / 64));
    expect(corpus.heldOutPageCount).toBe(Math.floor((corpus.heldOutTokenCount - 1) / 64));
    const [a, b] = [corpus.getPage(10), corpus.getPage(11)];
    expect(a).toHaveLength(65);
    expect(a[64]).toBe(b[0]);
    expect(corpus.getPage(corpus.trainPageCount - 1)).toHaveLength(65);
    expect(() => corpus.getPage(corpus.trainPageCount)).toThrow(
      expect.objectContaining({ reason: 'invalid-parameter' }),
    );
    expect(() => corpus.getHeldOutPage(-1)).toThrow(/No held-out page/);
    // The first training page is the start of the first document.
    expect(corpus.tokenizer.decode(corpus.getPage(0)).startsWith('The Fulton County Grand Jury')).toBe(true);
  });

  it('keeps the held-out documents (every 20th) out of the training stream', () => {
    const heldOutIds = documents.filter((_, i) => i % heldOutDocumentEvery === heldOutDocumentEvery - 1);
    expect(heldOutIds).toHaveLength(25);
    expect(new Set(heldOutIds.map((d) => d.category)).size).toBeGreaterThan(10);
    const trainingText = documents
      .filter((_, i) => i % heldOutDocumentEvery !== heldOutDocumentEvery - 1)
      .map((d) => d.text)
      .join('\n\n');
    expect(corpus.trainTokenCount + corpus.heldOutTokenCount).toBeGreaterThan(2_800_000);
    expect(corpus.heldOutTokenCount / (corpus.trainTokenCount + corpus.heldOutTokenCount)).toBeGreaterThan(
      0.03,
    );
    for (const index of [0, 500, 1000, corpus.heldOutPageCount - 1]) {
      const text = corpus.tokenizer.decode(corpus.getHeldOutPage(index));
      expect(trainingText.includes(text)).toBe(false);
      expect(heldOutIds.some((d) => `${d.text}\n\n`.includes(text.trim()))).toBe(true);
    }
    // A training page does come from the training text.
    expect(trainingText.includes(corpus.tokenizer.decode(corpus.getPage(1234)).trim())).toBe(true);
  });

  it('rebuilds a corrupt cache, with a warning, into the same corpus', async () => {
    const dir = await tempDir();
    try {
      const shared = join(tmpdir(), 'tessera-test-cache');
      const name = (await readdir(shared)).find((file) => file.endsWith('-bpe512.bin'))!;
      const bytes = await readFile(join(shared, name));
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
      await writeFile(join(dir.path, name), bytes);
      const warnings: string[] = [];
      const logger = createLogger({ level: 'warn', write: (line) => warnings.push(line) });
      const rebuilt = await createCorpus({ vocabSize: 512, pageTokens: 64, cacheDir: dir.path, logger });
      expect(warnings.join('\n')).toMatch(/corpus cache unusable.*checksum/);
      expect(rebuilt.tokenizer.id).toBe(corpus.tokenizer.id);
      expect(Array.from(rebuilt.getPage(777))).toEqual(Array.from(corpus.getPage(777)));
      // The rebuilt cache is whole again and reads back without a warning.
      await copyFile(join(dir.path, name), join(dir.path, 'copy.bin'));
      warnings.length = 0;
      await createCorpus({ vocabSize: 512, pageTokens: 64, cacheDir: dir.path, logger });
      expect(warnings).toEqual([]);
    } finally {
      await dir.cleanup();
    }
  });

  it('rejects bad sizes', async () => {
    await expect(createCorpus({ vocabSize: 100, pageTokens: 64 })).rejects.toMatchObject({
      reason: 'invalid-parameter',
    });
    await expect(createCorpus({ vocabSize: 512, pageTokens: 0 })).rejects.toMatchObject({
      reason: 'invalid-parameter',
    });
  });
});
