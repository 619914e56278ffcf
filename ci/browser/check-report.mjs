// Renders copysim report pages in headless Chromium, as a planner would open them, and checks:
// no console error or page error, no network request, every <img> decoded and every <svg>
// drawn, the headline present, nothing wider than a phone's screen at 390 px. Screenshots of
// each page (desktop and phone width) are kept in the artifact folder.
//
//   node check-report.mjs ARTIFACT_DIR REPORT.html [REPORT.html ...]
//
// Chromium comes from Debian's package (/usr/bin/chromium, or $CHROMIUM); playwright-core
// only drives it and downloads no browser.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [artifacts, ...pages] = process.argv.slice(2);
if (!artifacts || pages.length === 0) {
  console.error('usage: node check-report.mjs ARTIFACT_DIR REPORT.html...');
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

let failures = 0;
for (const page_path of pages) {
  const file = resolve(page_path);
  const name = basename(dirname(file));
  const problems = [];
  for (const [label, width] of [['desktop', 1280], ['phone', 390]]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${label}: console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`${label}: page error: ${e.message}`));
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith('data:') && url !== pathToFileURL(file).href) problems.push(`${label}: network request to ${url}`);
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const found = await page.evaluate(() => {
      const images = [...document.images].map((i) => ({ alt: i.alt, ok: i.complete && i.naturalWidth > 0 }));
      const svgs = [...document.querySelectorAll('svg')].map((s) => {
        const r = s.getBoundingClientRect();
        return { id: s.id || s.getAttribute('aria-label') || '', ok: r.width > 0 && r.height > 0 && s.querySelectorAll('*').length > 0 };
      });
      const headline = document.querySelector('#headline');
      return {
        images, svgs,
        headline: headline ? headline.innerText.trim() : null,
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        title: document.title,
      };
    });
    for (const i of found.images.filter((i) => !i.ok)) problems.push(`${label}: image not drawn: ${i.alt}`);
    for (const s of found.svgs.filter((s) => !s.ok)) problems.push(`${label}: svg not drawn: ${s.id}`);
    if (!found.headline) problems.push(`${label}: no #headline section`);
    if (label === 'phone' && found.overflow > 1) problems.push(`phone: the page is ${found.overflow}px wider than the screen`);
    if (label === 'desktop') {
      console.log(`${name}: "${found.title}", ${found.images.length} images, ${found.svgs.length} svgs`);
      if (found.headline) console.log(found.headline.split('\n').slice(0, 8).map((l) => `  | ${l}`).join('\n'));
    }
    await page.screenshot({ path: `${artifacts}/${name}-${label}.png`, fullPage: true });
    await context.close();
  }
  if (problems.length) {
    failures += 1;
    console.error(`${page_path}:\n  ${problems.join('\n  ')}`);
  } else {
    console.log(`${page_path}: ok (screenshots in ${artifacts}/${name}-desktop.png, -phone.png)`);
  }
}
await browser.close();
process.exit(failures ? 1 : 0);
