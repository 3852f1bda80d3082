/**
 * A small SVG line chart for the parity benchmark's loss curves.
 *
 * Written by hand on purpose: the chart is a few polylines, two axes and a legend, and the
 * libraries that draw one in Node each bring far more than they give here (vega and
 * vega-lite render SVG headless but pull in dozens of packages; chart.js needs a native
 * canvas; d3 leaves the axes and the legend to write anyway and wants a DOM for them).
 * No dependency, deterministic output, one pure function.
 */

/** One line of the chart. */
export type ChartSeries = {
  name: string;
  /** `[x, y]` points, drawn in order. Non-finite points are left out. */
  points: readonly (readonly [number, number])[];
};

/** Parameters of {@link lineChartSvg}. */
export type LineChartSvgParameters = {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  /** @default 720 */
  width?: number | undefined;
  /** @default 420 */
  height?: number | undefined;
};

/** Colours of the series, in order (the Okabe–Ito palette, readable by colour-blind readers). */
export const chartColours = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

/** Room around the plot area for the title, the tick labels, the axis labels and the legend. */
const margin = { top: 36, right: 170, bottom: 48, left: 64 };

/**
 * Renders a line chart as a standalone SVG document: linear axes with round ticks that
 * cover every point, one polyline per series, a legend on the right.
 *
 * @returns The SVG text.
 * @example
 * const svg = lineChartSvg({ title: 'Held-out loss', xLabel: 'tokens', yLabel: 'loss', series: [{ name: 'ddp', points: [[0, 6.2], [4096, 5.9]] }] });
 */
export function lineChartSvg(parameters: LineChartSvgParameters): string {
  const { title, xLabel, yLabel, series } = parameters;
  const width = parameters.width ?? 720;
  const height = parameters.height ?? 420;
  const finite = series.flatMap((s) => s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
  const xs = niceTicks(Math.min(...finite.map(([x]) => x)), Math.max(...finite.map(([x]) => x)), 6);
  const ys = niceTicks(Math.min(...finite.map(([, y]) => y)), Math.max(...finite.map(([, y]) => y)), 6);
  const plot = {
    left: margin.left,
    right: width - margin.right,
    top: margin.top,
    bottom: height - margin.bottom,
  };
  const x0 = xs[0]!;
  const x1 = xs[xs.length - 1]!;
  const y0 = ys[0]!;
  const y1 = ys[ys.length - 1]!;
  const sx = (x: number) => plot.left + ((x - x0) / (x1 - x0 || 1)) * (plot.right - plot.left);
  const sy = (y: number) => plot.bottom - ((y - y0) / (y1 - y0 || 1)) * (plot.bottom - plot.top);
  const fmt = (v: number) => String(Math.round(v * 10) / 10);

  const lines: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${fmt((plot.left + plot.right) / 2)}" y="20" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
  ];
  for (const tick of xs) {
    const x = fmt(sx(tick));
    lines.push(
      `<line x1="${x}" y1="${plot.top}" x2="${x}" y2="${plot.bottom}" stroke="#e5e5e5"/>`,
      `<text x="${x}" y="${plot.bottom + 16}" text-anchor="middle">${tickLabel(tick)}</text>`,
    );
  }
  for (const tick of ys) {
    const y = fmt(sy(tick));
    lines.push(
      `<line x1="${plot.left}" y1="${y}" x2="${plot.right}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${plot.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${tickLabel(tick)}</text>`,
    );
  }
  lines.push(
    `<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none" stroke="#333333"/>`,
    `<text x="${fmt((plot.left + plot.right) / 2)}" y="${height - 10}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text x="16" y="${fmt((plot.top + plot.bottom) / 2)}" text-anchor="middle" transform="rotate(-90 16 ${fmt((plot.top + plot.bottom) / 2)})">${escapeXml(yLabel)}</text>`,
  );
  series.forEach((s, i) => {
    const colour = chartColours[i % chartColours.length]!;
    const points = s.points
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
      .map(([x, y]) => `${fmt(sx(x))},${fmt(sy(y))}`)
      .join(' ');
    lines.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points}"/>`);
    const ly = plot.top + 10 + i * 20;
    lines.push(
      `<line x1="${plot.right + 12}" y1="${ly}" x2="${plot.right + 36}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${plot.right + 42}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`,
    );
  });
  lines.push('</svg>');
  return `${lines.join('\n')}\n`;
}

/**
 * Round tick values from at or below `min` to at or above `max`, about `count` of them, with
 * a step of 1, 2 or 5 times a power of ten.
 *
 * @example
 * niceTicks(4.62, 6.31, 6); // [4.5, 5, 5.5, 6, 6.5]
 */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) return [min - 1, min, min + 1];
  const rough = (max - min) / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const first = Math.floor(min / step);
  const last = Math.ceil(max / step);
  // Whole multiples of the step, so ticks carry no float noise such as 0.30000000000000004.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Array.from({ length: last - first + 1 }, (_, i) => Number(((first + i) * step).toFixed(decimals)));
}

/** A tick label: thousands as `k`, millions as `M`, otherwise the number as is. */
function tickLabel(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (magnitude >= 1e3) return `${Number((value / 1e3).toPrecision(3))}k`;
  return String(value);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
