/** The dashboard's stylesheet, inlined into the page (no external loads). */
export const dashboardStyle = String.raw`
:root { --ink: #1d2330; --muted: #667085; --line: #e4e7ec; --card: #ffffff; --bg: #f5f6f8;
  --miners: #3b6fd8; --validators: #16a37f; --owner: #e0a43a; --loss: #c2410c; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header { padding: 18px 28px 6px; display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; }
header h1 { font-size: 20px; margin: 0; }
header .sub { color: var(--muted); font-family: ui-monospace, monospace; font-size: 12px; }
header .status { margin-left: auto; font-size: 12px; padding: 3px 10px; border-radius: 999px; background: #e8f6ef; color: #0f7a55; }
header .status.degraded { background: #fdf0e5; color: #b54708; }
main { padding: 10px 28px 28px; display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); }
.tiles { grid-column: 1 / -1; display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); }
.tile, .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; }
.tile { padding: 10px 14px; }
.tile .label { color: var(--muted); font-size: 12px; }
.tile .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card { padding: 14px 16px; min-width: 0; }
.card h2 { font-size: 15px; margin: 0 0 2px; }
.card p.note { margin: 0 0 8px; color: var(--muted); font-size: 12px; }
.card.wide { grid-column: 1 / -1; }
svg { display: block; width: 100%; height: auto; }
svg text { font-size: 11px; fill: var(--muted); }
svg .axis { stroke: var(--line); }
.legend { display: flex; gap: 14px; font-size: 12px; color: var(--muted); margin-top: 4px; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.sw-miners { background: var(--miners); } .sw-validators { background: var(--validators); } .sw-owner { background: var(--owner); }
.empty { color: var(--muted); padding: 40px 0; text-align: center; }
.sample { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font-family: ui-monospace, monospace; font-size: 13px; }
.sample .prompt { color: var(--muted); }
form { display: flex; gap: 8px; margin: 8px 0 12px; }
input { flex: 1; font: 13px ui-monospace, monospace; padding: 7px 10px; border: 1px solid var(--line); border-radius: 6px; }
button { font: inherit; padding: 7px 14px; border: 0; border-radius: 6px; background: var(--ink); color: #fff; cursor: pointer; }
table { width: 100%; border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { color: var(--muted); font-weight: 500; }
td.num, th.num { text-align: right; }
.error { color: #b42318; }
a { color: var(--miners); }
`;
