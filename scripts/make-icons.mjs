// Renders the artwork of public/favicon.svg to the PNG icons the manifest and iOS need, with Debian's
// Chromium. Run by hand after changing the artwork: node scripts/make-icons.mjs
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync('public/favicon.svg', 'utf8');
// Maskable: full-bleed background, artwork scaled into the central safe zone (80 %).
const maskable = svg
  .replace(' rx="96"', '')
  .replace('<g transform="rotate(-9', '<g transform="translate(256 256) scale(0.78) translate(-256 -256)"><g transform="rotate(-9')
  .replace('</svg>', '</g></svg>');
// iOS draws its own rounded corners and shows transparency as black: square, full bleed.
const appleTouch = svg.replace(' rx="96"', '');

const outputs = [
  ['icon-192.png', svg, 192],
  ['icon-512.png', svg, 512],
  ['icon-maskable-512.png', maskable, 512],
  ['apple-touch-icon.png', appleTouch, 180],
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
for (const [name, source, size] of outputs) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(
    `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${source}`,
  );
  await page.screenshot({ path: `public/icons/${name}`, omitBackground: true });
  await page.close();
}
await browser.close();
console.log(`wrote ${outputs.map(([name]) => name).join(', ')}`);
