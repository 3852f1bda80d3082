/**
 * The dashboard's script, inlined into the page. Plain browser JavaScript: it reads the JSON
 * API of the same origin and draws SVG charts; it loads nothing else.
 */
export const dashboardScript = String.raw`
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var COLORS = { miners: '#3b6fd8', validators: '#16a37f', owner: '#e0a43a', loss: '#c2410c', ink: '#1d2330' };
  var $ = function (id) { return document.getElementById(id); };

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    for (var key in attrs) node.setAttribute(key, String(attrs[key]));
    if (parent) parent.appendChild(node);
    return node;
  }
  function text(parent, x, y, content, anchor) {
    var node = el('text', { x: x, y: y, 'text-anchor': anchor || 'start' }, parent);
    node.textContent = content;
    return node;
  }
  function getJson(path) {
    return fetch(path, { headers: { accept: 'application/json' } }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body && body.message ? body.message : 'HTTP ' + response.status);
        return body;
      });
    });
  }
  function tokens(units) {
    var big = BigInt(units);
    var whole = big / 1000000000000000000n;
    var frac = Number((big % 1000000000000000000n) / 100000000000000n) / 10000;
    return Number(whole) + frac;
  }
  function fmt(value, digits) {
    return value.toLocaleString('en-US', { maximumFractionDigits: digits === undefined ? 2 : digits });
  }
  function niceTicks(min, max, count) {
    if (!(max > min)) { max = min + 1; }
    var span = max - min, step = Math.pow(10, Math.floor(Math.log10(span / count)));
    var err = span / count / step;
    if (err >= 7.5) step *= 10; else if (err >= 3.5) step *= 5; else if (err >= 1.5) step *= 2;
    var ticks = [], start = Math.floor(min / step) * step;
    for (var v = start; v <= max + step * 0.5; v += step) ticks.push(Number(v.toPrecision(12)));
    return ticks;
  }
  function frame(container, yTicks, yMin, yMax, format) {
    container.textContent = '';
    var W = Math.max(320, Math.round(container.clientWidth || 640)), H = 260, m = { l: 56, r: 12, t: 10, b: 28 };
    var svg = el('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img' }, container);
    var y = function (v) { return m.t + (H - m.t - m.b) * (1 - (v - yMin) / (yMax - yMin || 1)); };
    yTicks.forEach(function (t) {
      el('line', { x1: m.l, x2: W - m.r, y1: y(t), y2: y(t), class: 'axis' }, svg);
      text(svg, m.l - 6, y(t) + 4, format(t), 'end');
    });
    return { svg: svg, W: W, H: H, m: m, y: y, xLabel: function (label) { text(svg, m.l - 8, H - 8, label, 'end'); } };
  }
  function empty(container, message) {
    container.textContent = '';
    var div = document.createElement('div');
    div.className = 'empty';
    div.textContent = message;
    container.appendChild(div);
  }

  function lossChart(container, windows) {
    var points = windows.filter(function (w) { return w.heldOutLoss !== null; })
      .map(function (w) { return { x: w.window, y: w.heldOutLoss }; })
      .sort(function (a, b) { return a.x - b.x; });
    if (points.length === 0) return empty(container, 'No held-out loss reported yet.');
    var ys = points.map(function (p) { return p.y; });
    var ticks = niceTicks(Math.min.apply(null, ys), Math.max.apply(null, ys), 5);
    var f = frame(container, ticks, ticks[0], ticks[ticks.length - 1], function (v) { return fmt(v, 3); });
    var x0 = points[0].x, x1 = points[points.length - 1].x;
    var x = function (v) { return f.m.l + (f.W - f.m.l - f.m.r) * (x1 === x0 ? 0.5 : (v - x0) / (x1 - x0)); };
    var d = points.map(function (p, i) { return (i ? 'L' : 'M') + x(p.x).toFixed(1) + ' ' + f.y(p.y).toFixed(1); }).join(' ');
    f.xLabel('window');
    el('path', { d: d, fill: 'none', stroke: COLORS.loss, 'stroke-width': 2, 'data-series': 'loss' }, f.svg);
    points.forEach(function (p) {
      var dot = el('circle', { cx: x(p.x), cy: f.y(p.y), r: 2.5, fill: COLORS.loss, 'data-point': 'loss' }, f.svg);
      el('title', {}, dot).textContent = 'window ' + p.x + ': ' + fmt(p.y, 4);
    });
    niceTicks(x0, x1 === x0 ? x0 + 1 : x1, 6).forEach(function (t) {
      if (t >= x0 && t <= x1) text(f.svg, x(t), f.H - 8, String(Math.round(t)), 'middle');
    });
  }

  // The newest window with a sample; text only (textContent), whatever the validator wrote.
  function latestSample(container, windows) {
    var found = windows.filter(function (w) { return w.sample; })
      .sort(function (a, b) { return b.window - a.window; })[0];
    container.textContent = '';
    if (!found) { container.textContent = 'No sample reported yet.'; return; }
    var prompt = document.createElement('span');
    prompt.className = 'prompt';
    prompt.textContent = found.sample.prompt;
    container.appendChild(prompt);
    container.appendChild(document.createTextNode(found.sample.text));
    container.title = 'after window ' + found.window;
    container.setAttribute('data-window', String(found.window));
  }

  function emissionChart(container, epochs) {
    var rows = epochs.slice().sort(function (a, b) { return a.epoch - b.epoch; });
    if (rows.length === 0) return empty(container, 'No epoch settled yet.');
    var series = [['minerTotal', COLORS.miners], ['validatorTotal', COLORS.validators], ['ownerTotal', COLORS.owner]];
    var totals = rows.map(function (r) { return tokens(r.minted); });
    var ticks = niceTicks(0, Math.max.apply(null, totals.concat([1])), 5);
    var f = frame(container, ticks, 0, ticks[ticks.length - 1], function (v) { return fmt(v, 0); });
    var band = (f.W - f.m.l - f.m.r) / rows.length, bar = Math.max(2, band * 0.7);
    f.xLabel('epoch');
    rows.forEach(function (r, i) {
      var base = 0, left = f.m.l + i * band + (band - bar) / 2;
      series.forEach(function (s) {
        var v = tokens(r[s[0]]);
        if (v <= 0) return;
        var rect = el('rect', { x: left, y: f.y(base + v), width: bar, height: Math.max(0.5, f.y(base) - f.y(base + v)), fill: s[1], 'data-bar': 'emission' }, f.svg);
        el('title', {}, rect).textContent = 'epoch ' + r.epoch + ' ' + s[0].replace('Total', '') + ': ' + fmt(v) + ' tokens';
        base += v;
      });
      if (rows.length <= 24 || i % Math.ceil(rows.length / 12) === 0) text(f.svg, left + bar / 2, f.H - 8, String(r.epoch), 'middle');
    });
  }

  function scoresChart(container, miners) {
    if (miners.length === 0) return empty(container, 'No miner registered yet.');
    var ticks = niceTicks(0, Math.max.apply(null, miners.map(function (m) { return m.incentive; }).concat([0.01])), 5);
    var f = frame(container, ticks, 0, ticks[ticks.length - 1], function (v) { return fmt(v * 100, 1) + '%'; });
    var band = (f.W - f.m.l - f.m.r) / miners.length, bar = Math.max(2, band * 0.7);
    f.xLabel('uid');
    miners.forEach(function (m, i) {
      var left = f.m.l + i * band + (band - bar) / 2;
      var rect = el('rect', { x: left, y: f.y(m.incentive), width: bar, height: Math.max(0.5, f.y(0) - f.y(m.incentive)), fill: COLORS.miners, 'data-bar': 'score' }, f.svg);
      el('title', {}, rect).textContent = 'uid ' + m.uid + ': incentive ' + fmt(m.incentive * 100, 2) + '%, consensus ' + fmt(m.consensus * 100, 2) + '%';
      el('circle', { cx: left + bar / 2, cy: f.y(Math.min(m.consensus, ticks[ticks.length - 1])), r: 2.5, fill: COLORS.ink }, f.svg);
      if (miners.length <= 32 || i % Math.ceil(miners.length / 16) === 0) text(f.svg, left + bar / 2, f.H - 8, String(m.uid), 'middle');
    });
  }

  function tile(label, value) {
    var div = document.createElement('div');
    div.className = 'tile';
    var l = document.createElement('div'); l.className = 'label'; l.textContent = label;
    var v = document.createElement('div'); v.className = 'value'; v.textContent = value;
    div.appendChild(l); div.appendChild(v);
    return div;
  }
  function cell(row, content, cls) {
    var td = document.createElement('td');
    if (cls) td.className = cls;
    if (content instanceof Node) td.appendChild(content); else td.textContent = content;
    row.appendChild(td);
  }

  function showAccount(address) {
    var out = $('account-result');
    out.textContent = 'Loading…';
    getJson('/v1/accounts/' + encodeURIComponent(address) + '/rewards?limit=20').then(function (r) {
      out.textContent = '';
      var tiles = document.createElement('div');
      tiles.className = 'tiles';
      tiles.appendChild(tile('Claimable', fmt(tokens(r.claimable), 4)));
      tiles.appendChild(tile('Earned', fmt(tokens(r.earned), 4)));
      tiles.appendChild(tile('Claimed', fmt(tokens(r.claimed), 4)));
      out.appendChild(tiles);
      var table = document.createElement('table');
      table.innerHTML = '<thead><tr><th>Epoch</th><th>Kinds</th><th class="num">Amount</th><th>Receipt</th></tr></thead>';
      var body = document.createElement('tbody');
      r.history.forEach(function (h) {
        var tr = document.createElement('tr');
        cell(tr, String(h.epoch));
        cell(tr, h.payouts.map(function (p) { return p.kind; }).join(', '));
        cell(tr, fmt(tokens(h.total), 4), 'num');
        var a = document.createElement('a');
        a.href = '/v1/accounts/' + r.address + '/receipts/' + h.epoch;
        a.textContent = 'receipt';
        cell(tr, a);
        body.appendChild(tr);
      });
      table.appendChild(body);
      out.appendChild(table);
      if (r.history.length === 0) { var p = document.createElement('p'); p.className = 'note'; p.textContent = 'No payouts yet.'; out.appendChild(p); }
    }).catch(function (error) {
      out.textContent = '';
      var p = document.createElement('p'); p.className = 'error'; p.textContent = error.message; out.appendChild(p);
    });
  }

  function load() {
    Promise.all([
      getJson('/v1/subnet'), getJson('/v1/health'), getJson('/v1/windows?limit=200'),
      getJson('/v1/epochs?limit=60'), getJson('/v1/neurons?role=miner'),
    ]).then(function (all) {
      var subnet = all[0], health = all[1];
      $('subnet-address').textContent = subnet.subnet + ' · chain ' + subnet.chainId;
      var status = $('status');
      status.textContent = health.status === 'ok' ? 'indexed to block ' + health.indexedBlock : 'degraded';
      status.className = 'status' + (health.status === 'ok' ? '' : ' degraded');
      var tiles = $('tiles');
      tiles.textContent = '';
      tiles.appendChild(tile('Block', fmt(subnet.clock.headBlock, 0)));
      tiles.appendChild(tile('Window', String(subnet.clock.currentWindow)));
      tiles.appendChild(tile('Epoch', String(subnet.clock.currentEpoch)));
      tiles.appendChild(tile('Emitted (' + subnet.token.symbol + ')', fmt(tokens(subnet.totals.emitted), 0)));
      tiles.appendChild(tile('Staked (' + subnet.token.symbol + ')', fmt(tokens(subnet.totals.staked), 0)));
      tiles.appendChild(tile('Miners · validators', subnet.totals.miners + ' · ' + subnet.totals.validators));
      lossChart($('loss-chart'), all[2].windows);
      latestSample($('model-sample'), all[2].windows);
      emissionChart($('emission-chart'), all[3].epochs);
      scoresChart($('scores-chart'), all[4].neurons);
      document.body.setAttribute('data-loaded', 'true');
    }).catch(function (error) {
      $('tiles').textContent = '';
      var p = document.createElement('p'); p.className = 'error'; p.textContent = 'Could not load the API: ' + error.message;
      $('tiles').appendChild(p);
      document.body.setAttribute('data-loaded', 'error');
    });
  }

  $('account-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var address = $('account-input').value.trim();
    if (address) { history.replaceState(null, '', '#' + address); showAccount(address); }
  });
  if (location.hash.length > 1) { $('account-input').value = location.hash.slice(1); showAccount(location.hash.slice(1)); }
  load();
  setInterval(load, 30000);
})();
`;
