// Drives a real VS Code (code-server) in headless Chromium with the packaged stepcat extension,
// on a workspace, and writes what the UI showed to OUT/results.json (plus screenshots in OUT).
// tests/e2e/test_vscode.py runs it and checks the results.
//
//   node e2e/run.mjs --tools DIR --vsix FILE --workspace DIR --out DIR --python PYTHON
//
// DIR is where install-vscode-e2e.sh installed code-server, Node 24 and playwright-core.
// PYTHON is set as `stepcat.interpreter` (and --project-python as `stepcat.python`) in the Machine settings (code-server's Remote settings:
// where a user of a remote window sets it); the extension runs its bundled server with it.
// results.serverProcess says which process the extension started, and with what PYTHONPATH.
// Exit code 0 when every step ran; 1 with OUT/failure.png when one failed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    tools: { type: 'string' },
    vsix: { type: 'string' },
    workspace: { type: 'string' },
    out: { type: 'string' },
    python: { type: 'string' },
    timeout: { type: 'string', default: '90000' },
    // a workspace without a step catalog: only check that the extension stays silent
    idle: { type: 'boolean', default: false },
    // a project whose steps come from the framework installed in PYTHON's environment: the
    // language status and a definition into site-packages from pipelines/FRAMEWORK_DAG
    framework: { type: 'boolean', default: false },
    // the project's interpreter (`stepcat.python`, Machine settings): whose environment's
    // installed framework is indexed; PYTHON (`stepcat.interpreter`) only runs the server
    'project-python': { type: 'string' },
  },
});
for (const key of ['tools', 'vsix', 'workspace', 'out', 'python']) {
  if (!opts[key]) {
    console.error(`missing --${key}`);
    process.exit(2);
  }
}
const TIMEOUT = Number(opts.timeout);
const tools = path.resolve(opts.tools);
const out = path.resolve(opts.out);
const workspace = path.resolve(opts.workspace);
const codeServer = path.join(tools, 'node_modules', '.bin', 'code-server');
const env = { ...process.env, PATH: `${path.join(tools, 'node', 'bin')}${path.delimiter}${process.env.PATH}` };
const { chromium } = createRequire(path.join(tools, 'package.json'))('playwright-core');

const DAG = 'training_dag.py';
const FRAMEWORK_DAG = 'training.dag.json';
const FRAMEWORK_NODE = '"TabularPreprocessing_training"';
const SPEC = 'cradle_data_loading_training_spec.py';
// where promoting the developer workspace's FeatureSelection puts its script in the shared tree
const PROMOTED_SCRIPT = 'src/pipelines/steps/scripts/feature_selection.py';
const results = { steps: [] };
let codeServerPid = -1; // the code-server this run started: the server is its descendant
const log = (message) => console.log(`[vscode-e2e ${new Date().toISOString().slice(11, 19)}] ${message}`);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function prepareProfile() {
  const userData = path.join(out, 'user-data');
  const extensions = path.join(out, 'extensions');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'security.workspace.trust.enabled': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    'editor.minimap.enabled': false,
    // a node name has several definitions (spec, script, builder, config): go to the first
    'editor.gotoLocation.multipleDefinitions': 'goto',
  };
  writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  // machine-overridable settings of a remote window come from the remote machine's settings
  mkdirSync(path.join(userData, 'Machine'), { recursive: true });
  writeFileSync(
    path.join(userData, 'Machine', 'settings.json'),
    JSON.stringify(
      {
        'stepcat.interpreter': opts.python,
        ...(opts['project-python'] ? { 'stepcat.python': opts['project-python'] } : {}),
      },
      null,
      2,
    ),
  );
  const install = spawnSync(
    codeServer,
    ['--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', opts.vsix],
    { env, encoding: 'utf8' },
  );
  if (install.status !== 0 || !/successfully installed/i.test(install.stdout)) {
    throw new Error(`installing ${opts.vsix} failed:\n${install.stdout}\n${install.stderr}`);
  }
  log(install.stdout.trim().split('\n').pop());
  return { userData, extensions };
}

async function startCodeServer(profile) {
  const port = await freePort();
  const child = spawn(
    codeServer,
    [
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--user-data-dir', profile.userData,
      '--extensions-dir', profile.extensions,
      workspace,
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = [];
  child.stdout.on('data', (d) => output.push(String(d)));
  child.stderr.on('data', (d) => output.push(String(d)));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited (${child.exitCode}):\n${output.join('')}`);
    }
    try {
      const response = await fetch(`${url}healthz`);
      if (response.ok) {
        return { child, url, output };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer on ${url}:\n${output.join('')}`);
}

async function shot(page, name) {
  const file = path.join(out, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

const activeTab = (page) => page.locator('.tabs-container .tab.active').first();

/** The status bar's "Ln 6, Col 1" as numbers. */
async function cursor(page) {
  const text = await page.locator('[id="status.editor.selection"]').first().innerText();
  const found = /Ln (\d+), Col (\d+)/.exec(text);
  return found ? { line: Number(found[1]), column: Number(found[2]) } : { text };
}

async function quickOpen(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  await input.fill(name);
  // the row of that file, once the list is filtered (clicked: Enter could race the filtering)
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await row.click();
  await page.waitForFunction(
    (n) => document.querySelector('.tabs-container .tab.active')?.getAttribute('aria-label')?.includes(n),
    name,
    { timeout: TIMEOUT },
  );
}

async function goToLine(page, line, column) {
  await page.keyboard.press('Control+P'); // quick open's ":line:column" (Ctrl+G is the browser's)
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    ([l, c]) => document.getElementById('status.editor.selection')?.innerText.includes(`Ln ${l}, Col ${c}`),
    [line, column],
    { timeout: TIMEOUT },
  );
}

/** The language status item (in the hover of the `{}` entry next to the language mode). */
async function languageStatus(page) {
  step('language status');
  const entry = page.locator('[id="status.languageStatus"]').first();
  await entry.waitFor({ state: 'visible', timeout: TIMEOUT });
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    await entry.click();
    const texts = await page.locator('.hover-language-status').allInnerTexts().catch(() => []);
    const ours = texts.map((t) => t.replace(/\s+/g, ' ').trim()).find((t) => /\d+ steps?\b/.test(t));
    if (ours) {
      results.languageStatus = ours;
      results.screenshots.languageStatus = await shot(page, 'language-status');
      await page.keyboard.press('Escape');
      break;
    }
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) {
      throw new Error(`no stepcat language status item: ${JSON.stringify(texts)}`);
    }
    await page.waitForTimeout(500);
  }
}

/** The parent of a process (from /proc/PID/stat), or undefined. */
function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function descendsFrom(pid, root) {
  for (let p = Number(pid), hops = 0; p > 1 && hops < 50; p = parentOf(p) ?? 0, hops += 1) {
    if (p === root) {
      return true;
    }
  }
  return false;
}

/** The language server process this code-server's extension started: command line, PYTHONPATH. */
function serverProcess() {
  step('server process');
  results.serverProcess = null;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (!descendsFrom(pid, codeServerPid)) {
        continue;
      }
      if (argv.includes('stepcat_server') || (argv.length > 1 && argv[1] === 'serve')) {
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
        const pythonPath = environ.find((e) => e.startsWith('PYTHONPATH='))?.slice('PYTHONPATH='.length);
        results.serverProcess = { argv, pythonPath: pythonPath ?? null };
        return;
      }
    } catch {
      // gone, or not ours
    }
  }
}

async function definition(page) {
  step('definition');
  await quickOpen(page, DAG);
  // line 10: dag.add_edge("CradleDataLoading_training", ...), the cursor inside the node name
  await goToLine(page, 10, 22);
  await page.keyboard.press('F12');
  // wait for the jump: another tab, and the cursor moved off the origin's line
  await page.waitForFunction(
    (n) =>
      document.querySelector('.tabs-container .tab.active')?.getAttribute('aria-label')?.includes(n) &&
      !document.getElementById('status.editor.selection')?.innerText.includes('Ln 10,'),
    SPEC,
    { timeout: TIMEOUT },
  );
  results.definition = {
    tab: await activeTab(page).getAttribute('aria-label'),
    cursor: await cursor(page),
    line: (await page.locator('.editor-instance .view-line', { hasText: 'StepSpecification(' }).first().innerText()).replace(/\u00a0/g, ' '),
  };
  results.screenshots.definition = await shot(page, 'definition');
}

async function problems(page) {
  step('problems');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+M');
  // the panel's own filter, by rule id: the list is virtual, rows outside the view do not exist
  const filter = page.locator('.markers-panel-container .viewpane-filter input, .panel .viewpane-filter input').first();
  await filter.waitFor({ state: 'visible', timeout: TIMEOUT });
  await filter.fill('config-key-is-class-name');
  const rows = page.locator('.markers-panel .monaco-list-row');
  await page.waitForFunction(
    () => document.querySelectorAll('.markers-panel .monaco-list-row').length === 5,
    undefined,
    { timeout: TIMEOUT },
  );
  results.problems = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.innerText));
  results.screenshots.problems = await shot(page, 'problems');
}

async function completion(page) {
  step('completion');
  await quickOpen(page, DAG);
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  // Typing `(` and `"` auto-closes them; the `_` at the end triggers completion.
  await page.keyboard.type('dag.add_node("CradleDataLoading_', { delay: 30 });
  const rows = page.locator('.suggest-widget.visible .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: TIMEOUT });
  // Read the list once it answers the last keystroke: every label continues what was typed, and
  // the list is the same on three reads in a row (the editor asks the server again as we type).
  const read = () =>
    rows.evaluateAll((els) =>
      els
        .map((e) => ({ index: Number(e.getAttribute('data-index')), label: e.querySelector('.label-name')?.textContent ?? '' }))
        .sort((a, b) => a.index - b.index)
        .map((r) => r.label),
    );
  let labels = [];
  let same = 0;
  const deadline = Date.now() + TIMEOUT;
  while (same < 3) {
    if (Date.now() > deadline) {
      throw new Error(`the completion list did not settle: ${JSON.stringify(labels)}`);
    }
    const now = await read();
    const settled = now.length > 0 && now.every((l) => l.startsWith('CradleDataLoading_'));
    same = settled && JSON.stringify(now) === JSON.stringify(labels) ? same + 1 : 0;
    labels = now;
    await page.waitForTimeout(150);
  }
  results.completion = labels;
  results.completionLine = (await page.locator('.editor-instance .view-line', { hasText: 'CradleDataLoading_"' }).first().innerText()).replace(/\u00a0/g, ' ');
  results.screenshots.completion = await shot(page, 'completion');
  await page.keyboard.press('Escape');
  // take the typed line back out: the DAG as on disk again (the views and the rename read it)
  await page.keyboard.press('Control+Shift+K');
  await page.keyboard.press('Control+S');
}

async function command(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await row.click();
}

/** Labels of the open quick pick, once its first row is `first` (it answered what was typed). */
async function quickPickLabels(page, first) {
  const row = page.locator('.quick-input-list .monaco-list-row').first();
  await page.waitForFunction(
    (label) => document.querySelector('.quick-input-list .monaco-list-row .label-name')?.textContent?.trim() === label ||
      document.querySelector('.quick-input-list .monaco-list-row')?.getAttribute('aria-label')?.startsWith(label),
    first,
    { timeout: TIMEOUT },
  );
  await row.waitFor({ timeout: TIMEOUT });
  return page.locator('.quick-input-list .monaco-list-row').evaluateAll((els) =>
    els
      .map((e) => ({ index: Number(e.getAttribute('data-index')), label: e.querySelector('.label-name')?.textContent?.trim() ?? '' }))
      .sort((a, b) => a.index - b.index)
      .map((r) => r.label),
  );
}

async function showStep(page) {
  step('show step');
  await command(page, 'stepcat: Show Step...');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  await input.fill('xgbtrain'); // fuzzy: the abbreviation of XGBoostTraining
  results.showStep = await quickPickLabels(page, 'XGBoostTraining');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'XGBoostTraining' }).first().click();
  await page.waitForFunction(
    () => document.querySelector('.tabs-container .tab.active')?.getAttribute('aria-label')?.includes('step_names.py'),
    undefined,
    { timeout: TIMEOUT },
  );
  results.showStepOpened = { tab: await activeTab(page).getAttribute('aria-label'), cursor: await cursor(page) };
}

async function goToComponent(page) {
  step('go to component');
  await quickOpen(page, DAG);
  await goToLine(page, 10, 22);
  await command(page, 'stepcat: Go to Component...');
  results.components = await quickPickLabels(page, 'spec (training)');
  const builder = page.locator('.quick-input-list .monaco-list-row', { hasText: 'builder' }).first();
  await builder.click();
  await page.waitForFunction(
    () => document.querySelector('.tabs-container .tab.active')?.getAttribute('aria-label')?.includes('builder_cradle_data_loading_step.py'),
    undefined,
    { timeout: TIMEOUT },
  );
  results.componentOpened = { tab: await activeTab(page).getAttribute('aria-label'), cursor: await cursor(page) };
}

/** The text of the first notification toast whose message starts with `prefix`. */
async function notification(page, prefix) {
  const toast = page.locator('.notifications-toasts .notification-list-item-message', { hasText: prefix }).first();
  await toast.waitFor({ state: 'visible', timeout: TIMEOUT });
  const text = (await toast.innerText()).trim();
  await page.keyboard.press('Escape');
  return text;
}

/** A palette command that asks for a staged (or stageable) step: pick `label`, then the server's message. */
async function integrationCommand(page, title, label, expected, confirm) {
  await command(page, title);
  await quickPickLabels(page, label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
  if (confirm) {
    const button = page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: confirm }).first();
    await button.waitFor({ state: 'visible', timeout: TIMEOUT });
    await button.click();
  }
  return notification(page, expected);
}

async function integration(page) {
  step('integration');
  const promotedScript = path.join(workspace, PROMOTED_SCRIPT);
  const staged = await integrationCommand(page, 'stepcat: Stage Step for Integration...', 'FeatureSelection', 'staged FeatureSelection');
  const validated = await integrationCommand(page, 'stepcat: Validate Staged Step...', 'FeatureSelection', 'FeatureSelection:');
  const promoted = await integrationCommand(page, 'stepcat: Promote Staged Step...', 'FeatureSelection', 'promoted FeatureSelection', 'Promote');
  const scriptAfterPromotion = existsSync(promotedScript);
  const rolledBack = await integrationCommand(page, 'stepcat: Roll Back Promoted Step...', 'FeatureSelection', 'rolled back FeatureSelection', 'Roll Back');
  results.integration = { staged, validated, promoted, scriptAfterPromotion, rolledBack, scriptAfterRollback: existsSync(promotedScript) };
}

/** View: Close All Editors; an editor left modified (none should be) is not saved. */
async function closeAllEditors(page) {
  await command(page, 'View: Close All Editors');
  const dontSave = page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: "Don't Save" }).first();
  if (await dontSave.waitFor({ state: 'visible', timeout: 1500 }).then(() => true, () => false)) {
    results.unsavedAtClose = (await page.locator('.monaco-dialog-box .dialog-message-text').first().innerText().catch(() => '')).trim();
    await dontSave.click();
  }
}

/** The DAG view's page: the webview's outer iframe, then its active frame. */
function dagFrame(page) {
  return page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
}

async function dagView(page) {
  step('dag view');
  if (await page.locator('.part.panel').first().isVisible().catch(() => false)) {
    await page.keyboard.press('Control+J'); // the panel hidden: room for the picture
  }
  await closeAllEditors(page);
  await quickOpen(page, DAG);
  await goToLine(page, 6, 20);
  await command(page, 'stepcat: Show DAG');
  const frame = dagFrame(page);
  const nodes = frame.locator('#graph g.node');
  await nodes.first().waitFor({ state: 'visible', timeout: TIMEOUT });
  results.dag = {
    nodes: await nodes.evaluateAll((els) =>
      els.map((e) => ({ id: e.getAttribute('data-id'), className: e.getAttribute('class') })),
    ),
    edges: await frame.locator('#graph g.edge').count(),
    title: (await frame.locator('#title').innerText()).trim(),
  };
  await page.mouse.move(700, 840); // no tab's hover over the picture
  await page.waitForTimeout(500);
  results.screenshots.dagView = await shot(page, 'dag-view');
  // a click on a node opens its definition beside the view
  await frame.locator('#graph g.node[data-id="XGBoostTraining"]').first().click();
  await page.waitForFunction(
    () => document.querySelector('.tabs-container .tab.active')?.getAttribute('aria-label')?.includes('xgboost_training_spec.py'),
    undefined,
    { timeout: TIMEOUT },
  );
  results.dagClickOpened = await activeTab(page).getAttribute('aria-label');
  await closeAllEditors(page);
}

async function stepsView(page) {
  step('steps view');
  await page.keyboard.press('Control+Shift+E');
  // the folder's file tree folded away: the Steps view gets the side bar's height
  const folder = page.locator('.pane-header', { hasText: /^workspace/i }).first();
  if ((await folder.getAttribute('aria-expanded').catch(() => null)) === 'true') {
    await folder.click();
  }
  const header = page.locator('.pane-header', { hasText: /^Steps/ }).first();
  await header.waitFor({ state: 'visible', timeout: TIMEOUT });
  if ((await header.getAttribute('aria-expanded')) !== 'true') {
    await header.click();
  }
  const pane = page.locator('.pane', { has: header });
  const rows = pane.locator('.monaco-list-row');
  await pane.locator('.monaco-list-row', { hasText: 'CradleDataLoading' }).first().waitFor({ timeout: TIMEOUT });
  // expand a step to show its components
  await pane.locator('.monaco-list-row', { hasText: 'CradleDataLoading' }).first().click();
  await pane.locator('.monaco-list-row', { hasText: 'spec (training)' }).first().waitFor({ timeout: TIMEOUT });
  results.stepsView = await rows.evaluateAll((els) =>
    els
      .map((e) => ({ index: Number(e.getAttribute('data-index')), label: e.getAttribute('aria-label') ?? e.innerText }))
      .sort((a, b) => a.index - b.index)
      .map((r) => r.label),
  );
  results.screenshots.stepsView = await shot(page, 'steps-view');
}

async function rename(page) {
  step('rename');
  await quickOpen(page, DAG);
  // line 8: dag.add_node("XGBoostTraining"), the cursor inside the name
  await goToLine(page, 8, 18);
  await page.keyboard.press('F2');
  const input = page.locator('.rename-box input, .rename-box textarea').first();
  await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  results.renamePlaceholder = await input.inputValue();
  await input.fill('XgbTrain');
  await page.keyboard.press('Enter');
  await page.locator('.editor-instance .view-line', { hasText: '"XgbTrain"' }).first().waitFor({ timeout: TIMEOUT });
  await command(page, 'File: Save All Files');
  // the refactoring's other files are saved by VS Code (files.refactoring.autoSave)
  const builder = path.join(workspace, 'src/pipelines/steps/builders/builder_xgb_train_step.py');
  const deadline = Date.now() + TIMEOUT;
  while (!existsSync(builder) && Date.now() < deadline) {
    await page.waitForTimeout(200);
  }
  await page.waitForTimeout(1500);
  results.renamed = existsSync(builder);
}

/** Every check on the catalog workspace, in order. */
async function catalog(page) {
  await quickOpen(page, DAG); // the language status shows for a Python editor: wait for the index
  await languageStatus(page);
  serverProcess();
  await definition(page);
  await problems(page);
  await completion(page);
  await showStep(page);
  await goToComponent(page);
  await languageStatus(page);
  await integration(page);
  await dagView(page);
  await stepsView(page);
  await rename(page);
}

/** The text of the breadcrumbs above the active editor (a file outside the folder: its path). */
async function breadcrumbs(page) {
  const bar = page.locator('.breadcrumbs-below-tabs .monaco-breadcrumbs').first();
  const text = await bar.innerText().catch(() => '');
  return text.replace(/\s*\n\s*/g, '/').replace(/\u00a0/g, ' ');
}

/** A project with a DAG and a config only: the language status, and F12 on a node name opens
 * the installed framework's spec in site-packages. */
async function framework(page) {
  await quickOpen(page, FRAMEWORK_DAG); // the language status shows for a JSON editor too
  await languageStatus(page);
  serverProcess();
  step('framework definition');
  const lines = readFileSync(path.join(workspace, 'pipelines', FRAMEWORK_DAG), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(FRAMEWORK_NODE));
  await goToLine(page, line + 1, lines[line].indexOf(FRAMEWORK_NODE) + 3);
  await page.keyboard.press('F12');
  await page.waitForFunction(
    () => document.querySelector('.tabs-container .tab.active')?.getAttribute('aria-label')?.includes('.py'),
    undefined,
    { timeout: TIMEOUT },
  );
  await page.waitForTimeout(500); // the breadcrumbs follow the editor
  results.frameworkDefinition = {
    tab: await activeTab(page).getAttribute('aria-label'),
    title: await page.title(),
    breadcrumbs: await breadcrumbs(page),
    cursor: await cursor(page),
  };
  results.screenshots.frameworkDefinition = await shot(page, 'framework-definition');
}

/** No notification and no server process in a workspace that is not a catalog. */
async function idle(page) {
  step('idle');
  await page.waitForTimeout(15_000); // activation (it should not happen) and a server start would be done
  results.notifications = await page
    .locator('.notifications-toasts .notification-list-item-message')
    .allInnerTexts()
    .catch(() => []);
  serverProcess();
  results.screenshots.idle = await shot(page, 'idle');
}

function step(name) {
  results.steps.push(name);
  log(name);
}

async function main() {
  mkdirSync(out, { recursive: true });
  results.screenshots = {};
  const started = Date.now();
  const profile = prepareProfile();
  const server = await startCodeServer(profile);
  codeServerPid = server.child.pid;
  let browser;
  let page;
  try {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.setDefaultTimeout(TIMEOUT);
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: TIMEOUT });
    step('workbench loaded');
    if (opts.idle) {
      await idle(page);
    } else if (opts.framework) {
      await framework(page);
    } else {
      await catalog(page);
    }
    results.ok = true;
  } catch (error) {
    results.ok = false;
    results.error = String(error?.stack ?? error);
    if (page) {
      results.screenshots.failure = await shot(page, 'failure').catch(() => undefined);
      console.error(`screenshot of the failure: ${results.screenshots.failure}`);
    }
    results.codeServerOutput = server.output.join('').slice(-4000);
  } finally {
    results.seconds = Math.round((Date.now() - started) / 1000);
    writeFileSync(path.join(out, 'results.json'), JSON.stringify(results, null, 2));
    await browser?.close().catch(() => undefined);
    try {
      process.kill(-server.child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  log(`done in ${results.seconds}s: ${results.ok ? 'ok' : results.error}`);
  process.exit(results.ok ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  try {
    writeFileSync(path.join(out, 'results.json'), JSON.stringify({ ...results, ok: false, error: String(error?.stack ?? error) }, null, 2));
  } catch {
    // nothing more to do
  }
  process.exit(1);
});
