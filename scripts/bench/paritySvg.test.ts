import { lineChartSvg, niceTicks } from './paritySvg.js';

describe('niceTicks', () => {
  it('covers the range with steps of 1, 2 or 5 times a power of ten', () => {
    expect(niceTicks(4.62, 6.31, 6)).toEqual([4.5, 5, 5.5, 6, 6.5]);
    expect(niceTicks(0, 122880, 6)).toEqual([0, 50000, 100000, 150000]);
    expect(niceTicks(0.1, 0.3, 3)).toEqual([0.1, 0.2, 0.3]);
  });

  it('widens a single value into a range', () => {
    expect(niceTicks(5, 5, 6)).toEqual([4, 5, 6]);
  });
});

describe('lineChartSvg', () => {
  const svg = lineChartSvg({
    title: 'loss <tiny> & co',
    xLabel: 'tokens',
    yLabel: 'loss',
    width: 400,
    height: 300,
    series: [
      {
        name: 'a',
        points: [
          [0, 6],
          [10, 5],
        ],
      },
      {
        name: 'b',
        points: [
          [0, 6],
          [5, Number.NaN],
          [10, 4],
        ],
      },
    ],
  });

  it('draws one polyline per series, scaled into the plot area', () => {
    // Plot area: x from 64 to 400 − 170 = 230, y from 36 to 300 − 48 = 252; ticks x 0..10, y 4..6.
    const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => m[1]);
    expect(lines).toEqual(['64,36 230,144', '64,36 230,252']);
  });

  it('escapes text and names every series in the legend', () => {
    expect(svg).toContain('loss &lt;tiny&gt; &amp; co');
    expect(svg).toMatch(/>a<\/text>/);
    expect(svg).toMatch(/>b<\/text>/);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });
});
