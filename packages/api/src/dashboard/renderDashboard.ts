import { createHash } from 'node:crypto';
import { dashboardScript } from './dashboardScript.js';
import { dashboardStyle } from './dashboardStyle.js';

/** The dashboard page and the Content-Security-Policy that lets only its own inline code run. */
export type Dashboard = { html: string; contentSecurityPolicy: string };

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * The dashboard at `/`: one static page with inline CSS and JavaScript drawing SVG charts of
 * held-out loss per window, emission per epoch and miners' scores from the JSON API, plus an
 * account lookup. Its CSP allows only its own inline script and style (by hash) and fetches
 * to the same origin, so nothing external can load.
 *
 * @example
 * const { html, contentSecurityPolicy } = renderDashboard();
 * reply.header('content-security-policy', contentSecurityPolicy).type('text/html').send(html);
 */
export function renderDashboard(): Dashboard {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tessera — subnet dashboard</title>
<style>${dashboardStyle}</style>
</head>
<body>
<header>
  <h1>Tessera subnet</h1>
  <span class="sub" id="subnet-address">loading…</span>
  <span class="status" id="status">…</span>
</header>
<main>
  <section class="tiles" id="tiles"></section>
  <section class="card">
    <h2>Held-out loss per window</h2>
    <p class="note">Loss of the global model on the validator's held-out data after each window's aggregate; lower is better.</p>
    <div id="loss-chart" data-chart="loss"></div>
    <h2>Latest sample</h2>
    <p class="note">The validator's greedy continuation of a fixed prompt by the same model.</p>
    <p class="sample" id="model-sample" data-sample="latest"></p>
  </section>
  <section class="card">
    <h2>Emission per epoch</h2>
    <p class="note">Tokens minted at each settlement and how they were split.</p>
    <div id="emission-chart" data-chart="emission"></div>
    <div class="legend"><span><i class="sw-miners"></i>miners</span><span><i class="sw-validators"></i>validators and stakers</span><span><i class="sw-owner"></i>owner</span></div>
  </section>
  <section class="card wide">
    <h2>Miners' scores</h2>
    <p class="note">Incentive of each miner uid in the last settled epoch (bars) and its consensus weight (dots).</p>
    <div id="scores-chart" data-chart="scores"></div>
  </section>
  <section class="card wide">
    <h2>Your rewards</h2>
    <form id="account-form"><input id="account-input" placeholder="0x… account address" spellcheck="false" autocomplete="off"><button type="submit">Look up</button></form>
    <div id="account-result"></div>
    <p class="note">JSON API documented at <a href="/docs">/docs</a>.</p>
  </section>
</main>
<script>${dashboardScript}</script>
</body>
</html>
`;
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src ${sha256(dashboardScript)}`,
    `style-src ${sha256(dashboardStyle)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}
