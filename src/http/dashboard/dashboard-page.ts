import { DASHBOARD_SCRIPT } from './dashboard-script.js';
import { DASHBOARD_STYLE } from './dashboard-style.js';

/**
 * The dashboard: one self-contained document (no external resource, relative URLs only, so it
 * works offline, under any base path and behind a proxy). It holds no data and no secret: it asks
 * for the token and calls the authenticated routes.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>execution-engine</title>
<style>${DASHBOARD_STYLE}</style>
</head>
<body>
<header><h1>execution-engine</h1><span id="connection" role="status" aria-live="polite">connecting</span></header>
<form id="login" hidden>
  <label for="token">Access token</label>
  <input id="token" type="password" autocomplete="off" required>
  <button type="submit">Connect</button>
  <p id="login-error" role="alert"></p>
</form>
<main id="app" hidden>
  <section aria-labelledby="executions-title">
    <h2 id="executions-title">Executions</h2>
    <div class="filters">
      <label>Status <select id="filter-status">
        <option value="">all</option><option>queued</option><option>running</option><option>completed</option>
        <option>failed</option><option>timeout</option><option>cancelled</option>
      </select></label>
      <label>Group <select id="filter-group"><option value="">all</option></select></label>
      <label>Search <input id="filter-text" type="search" placeholder="command or id"></label>
    </div>
    <table>
      <thead><tr><th scope="col">Status</th><th scope="col">Progress</th><th scope="col">Group</th><th scope="col">Command</th><th scope="col">Duration</th></tr></thead>
      <tbody id="rows"></tbody>
    </table>
  </section>
  <section id="detail" aria-labelledby="detail-title" hidden>
    <h2 id="detail-title">Output</h2>
    <div class="detail-bar">
      <span id="detail-status"></span>
      <span id="detail-lines"></span>
      <button id="cancel" type="button">Cancel</button>
    </div>
    <div id="output" tabindex="0" role="log" aria-label="Output of the selected execution"><div id="spacer"></div><div id="visible"></div></div>
  </section>
  <section id="pipelines-section" aria-labelledby="pipelines-title" hidden>
    <h2 id="pipelines-title">Pipelines</h2>
    <ul id="pipelines" aria-live="polite"></ul>
  </section>
</main>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;

/** The dashboard page as a response. */
export function dashboardPage(): Response {
  return new Response(PAGE, {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy':
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    },
  });
}
