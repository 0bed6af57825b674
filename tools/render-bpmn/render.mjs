// Renders Cortex's BPMN processes to SVG and PNG with bpmn-js (the renderer
// Camunda Modeler and Cockpit use) in headless Chromium.
//
//   node render.mjs                 # the default diagrams
//   node render.mjs recovery tdd    # only these (names of processes/<name>.bpmn)
//
// Environment:
//   CHROMIUM_PATH  browser to drive (default /usr/bin/chromium, Debian's package)
//   PNG_SCALE      device pixel ratio of the PNGs (default 2)

import { chromium } from 'playwright-core';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const processesDir = path.join(repo, 'processes');
const outDir = path.join(repo, 'docs', 'images');

const require = createRequire(import.meta.url);
const bpmnJsDir = path.dirname(require.resolve('bpmn-js/package.json'));
const viewerBundle = path.join(bpmnJsDir, 'dist', 'bpmn-viewer.production.min.js');
const styles = [
  path.join(bpmnJsDir, 'dist', 'assets', 'diagram-js.css'),
  path.join(bpmnJsDir, 'dist', 'assets', 'bpmn-js.css'),
];

const DEFAULT_DIAGRAMS = ['planning', 'tdd', 'system-alignment', 'recovery'];
const PADDING = 40; // px of white space around the diagram in the PNG
const MAX_SIDE = 8000; // px (CSS) cap for the viewport; larger diagrams are scaled down to fit
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const scale = Number(process.env.PNG_SCALE || 2);

const names = process.argv.slice(2).length ? process.argv.slice(2) : DEFAULT_DIAGRAMS;

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

let failed = 0;
try {
  const context = await browser.newContext({
    viewport: { width: 1600, height: 1000 },
    deviceScaleFactor: scale,
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[page] ${err.message}`));

  // A blank page with nothing but the viewer: no network is used at all.
  await page.setContent(`<!doctype html>
<html><head><meta charset="utf-8">
<style>
  html, body { margin: 0; padding: 0; background: #fff; overflow: hidden; }
  #canvas { position: absolute; top: 0; left: 0; width: 100vw; height: 100vh; background: #fff; }
</style></head>
<body><div id="canvas"></div></body></html>`);
  for (const css of styles) await page.addStyleTag({ path: css });
  await page.addScriptTag({ path: viewerBundle });
  await page.evaluate(() => {
    window.viewer = new window.BpmnJS({ container: '#canvas' });
  });

  await mkdir(outDir, { recursive: true });

  for (const name of names) {
    const file = path.join(processesDir, `${name}.bpmn`);
    const xml = await readFile(file, 'utf8');

    // Import once to learn the diagram's extent (all shapes, edges and labels).
    const result = await page.evaluate(async (xml) => {
      const { warnings } = await window.viewer.importXML(xml);
      const inner = window.viewer.get('canvas').viewbox().inner;
      return {
        warnings: warnings.map((w) => w.message),
        inner: { x: inner.x, y: inner.y, width: inner.width, height: inner.height },
      };
    }, xml);
    for (const w of result.warnings) console.warn(`${name}: import warning: ${w}`);

    // Size the viewport to the diagram at 100 % plus padding, then fit.
    const width = Math.min(MAX_SIDE, Math.ceil(result.inner.width + 2 * PADDING));
    const height = Math.min(MAX_SIDE, Math.ceil(result.inner.height + 2 * PADDING));
    await page.setViewportSize({ width, height });

    const svg = await page.evaluate(async () => {
      const canvas = window.viewer.get('canvas');
      canvas.resized();
      canvas.zoom('fit-viewport', 'auto');
      const { svg } = await window.viewer.saveSVG();
      return svg;
    });
    // Let fonts and layout settle before the screenshot.
    await page.evaluate(() => document.fonts.ready);

    const svgOut = path.join(outDir, `${name}.svg`);
    const pngOut = path.join(outDir, `${name}.png`);
    await writeFile(svgOut, svg, 'utf8');
    await page.locator('#canvas').screenshot({ path: pngOut, omitBackground: false });

    const elements = await page.evaluate(() =>
      window.viewer.get('elementRegistry').getAll().length);
    console.log(`${name}: ${elements} elements, ${width}x${height} px (x${scale}) -> ` +
      `${path.relative(repo, svgOut)}, ${path.relative(repo, pngOut)}`);
    if (result.warnings.length) failed++;
  }
} finally {
  await browser.close();
}

if (failed) {
  console.error(`${failed} diagram(s) imported with warnings`);
  process.exitCode = 1;
}
