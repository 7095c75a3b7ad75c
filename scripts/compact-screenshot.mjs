#!/usr/bin/env node
/**
 * The README's screenshots ship in the .vsix, inlined in its README (scripts/inline-readme-images.mjs),
 * so that the extension's page in VS Code shows them offline. To keep the whole .vsix under 1 MB each
 * is a JPEG at most 1,100 px wide, encoded by chromium's canvas (no image library needed).
 *   import { compactPng } from './compact-screenshot.mjs'      (scripts/screenshots.mjs)
 *   node scripts/compact-screenshot.mjs a.png b.png …           writes a.jpg, b.jpg beside them
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const SCREENSHOT_WIDTH = 1100;
export const SCREENSHOT_QUALITY = 0.85;

/** PNG bytes → JPEG bytes, scaled down to `width` (never up), in a page of `browser` (playwright). */
export async function compactPng(browser, png, width = SCREENSHOT_WIDTH, quality = SCREENSHOT_QUALITY) {
  const page = await browser.newPage();
  try {
    const dataUrl = await page.evaluate(async ({ src, width, quality }) => {
      const image = new Image();
      image.src = src;
      await image.decode();
      const scale = Math.min(1, width / image.naturalWidth);
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(image.naturalWidth * scale);
      canvas.height = Math.round(image.naturalHeight * scale);
      const context = canvas.getContext('2d');
      context.imageSmoothingQuality = 'high';
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      return canvas.toDataURL('image/jpeg', quality);
    }, { src: `data:image/png;base64,${Buffer.from(png).toString('base64')}`, width, quality });
    return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  } finally {
    await page.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { chromium } = createRequire(import.meta.url)('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    for (const file of process.argv.slice(2)) {
      const jpeg = await compactPng(browser, readFileSync(file));
      writeFileSync(file.replace(/\.png$/, '.jpg'), jpeg);
      console.log(`${file.replace(/\.png$/, '.jpg')}: ${(jpeg.length / 1024).toFixed(0)} KB`);
    }
  } finally {
    await browser.close();
  }
}
