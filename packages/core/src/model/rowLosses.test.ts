import { silentLogger } from '../common/logger.js';
import { testCorpus } from '../_test/testCorpus.js';
import { buildBatches } from '../data/buildBatches.js';
import type { Corpus } from '../data/createCorpus.js';
import { createModel } from './createModel.js';
import type { Model } from './createModel.js';
import { evaluateLoss, evaluateRowLosses } from './evaluateLoss.js';
import { meanLoss, rowLosses } from './meanLoss.js';
import { modelPresets } from './modelPresets.js';
import { selectBackend } from './selectBackend.js';

let corpus: Corpus;
let model: Model;

beforeAll(async () => {
  await selectBackend({ preferred: 'wasm', strict: true, logger: silentLogger, env: {} });
  corpus = await testCorpus({ pageTokens: 32 });
  model = createModel({ config: modelPresets.tiny, seed: 7n });
});
afterAll(() => model.dispose());

describe('rowLosses', () => {
  const pages = () => Array.from({ length: 7 }, (_, i) => corpus.getPage(i * 13));

  it("gives each row's loss, the loss of that row alone, in order", async () => {
    const batches = buildBatches({ pages: pages(), batchSize: 3 });
    const losses = await rowLosses({ model, batches });
    expect(losses).toHaveLength(7);
    const alone = await Promise.all(
      pages().map((page) =>
        evaluateLoss({ model, batch: buildBatches({ pages: [page], batchSize: 1 })[0]! }),
      ),
    );
    losses.forEach((loss, i) => expect(loss).toBeCloseTo(alone[i]!, 4));
    // Pages differ, so the rows are not one value repeated.
    expect(new Set(losses.map((loss) => loss.toFixed(3))).size).toBeGreaterThan(3);
  });

  it('averages to the mean loss of the batches', async () => {
    const batches = buildBatches({ pages: pages(), batchSize: 7 });
    const losses = await evaluateRowLosses({ model, batch: batches[0]! });
    const mean = losses.reduce((a, b) => a + b, 0) / losses.length;
    expect(mean).toBeCloseTo(await meanLoss({ model, batches }), 5);
  });
});
