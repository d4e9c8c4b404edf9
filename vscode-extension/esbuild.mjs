// Bundles the extension and vscode-languageclient into one CommonJS file, dist/extension.js, and
// the DAG view's webview script with its layout library (dagre) into dist/dagView.js.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };

await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    external: ['vscode'],
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/webview/dagView.ts'],
    outfile: 'dist/dagView.js',
    format: 'iife',
    platform: 'browser',
    target: 'chrome108',
  }),
]);
