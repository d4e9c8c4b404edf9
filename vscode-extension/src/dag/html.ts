/**
 * The DAG view's page: a strict Content-Security-Policy (nothing by default; the extension's own
 * stylesheet; one script, by nonce), the stylesheet and script shipped in the extension, no remote
 * resources. Pure: the webview's URIs and CSP source are passed in.
 */

export interface PageInputs {
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh random nonce (base64 or hex), different for each page. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

const attr = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function dagViewHtml(page: PageInputs): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(page.cspSource, page.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(page.styleUri)}">
<title>stepcat DAG</title>
</head>
<body>
<header>
  <span id="title" class="title"></span>
  <span id="file" class="file"></span>
  <span class="tools">
    <button id="direction" type="button" title="Lay out left to right">⇄</button>
    <button id="fit" type="button" title="Fit to the panel (or show at full size)">⤢</button>
  </span>
</header>
<ul id="problems" class="problems" hidden></ul>
<p id="notice" class="notice">Loading the DAG…</p>
<div id="graph" class="graph" role="group" aria-label="pipeline DAG"></div>
<p class="legend">
  <span class="key status-complete">complete</span>
  <span class="key status-incomplete">incomplete</span>
  <span class="key status-error">errors</span>
  <span class="key status-unknown">unknown step</span>
</p>
<script nonce="${attr(page.nonce)}" src="${attr(page.scriptUri)}"></script>
</body>
</html>
`;
}
