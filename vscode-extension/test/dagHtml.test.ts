import { describe, expect, it } from 'vitest';

import { contentSecurityPolicy, dagViewHtml } from '../src/dag/html';

const page = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'bm9uY2Uxig+/=',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/dagView.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/dagView.css',
};

describe('DAG view page', () => {
  it('allows nothing by default, the extension stylesheet, and scripts only by nonce', () => {
    const csp = contentSecurityPolicy(page.cspSource, page.nonce);
    expect(csp.split('; ')).toEqual([
      "default-src 'none'",
      `style-src ${page.cspSource}`,
      `font-src ${page.cspSource}`,
      `img-src ${page.cspSource} data:`,
      `script-src 'nonce-${page.nonce}'`,
    ]);
    expect(csp).not.toContain('unsafe');
  });

  it('loads one script, with the nonce, and one stylesheet, both from the extension', () => {
    const html = dagViewHtml(page);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    const scripts = [...html.matchAll(/<script[^>]*>/g)].map((m) => m[0]);
    expect(scripts).toEqual([`<script nonce="${page.nonce}" src="${page.scriptUri}">`]);
    const urls = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(urls).toEqual([page.styleUri, page.scriptUri]);
    expect(html).not.toMatch(/\son\w+=/); // no inline event handlers
    expect(html).not.toMatch(/style="/); // no inline styles
  });

  it('escapes what it puts in attributes', () => {
    const html = dagViewHtml({ ...page, scriptUri: 'x" onload="alert(1)' });
    expect(html).toContain('src="x&quot; onload=&quot;alert(1)"');
  });
});
