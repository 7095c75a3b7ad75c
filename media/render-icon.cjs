// Renders media/icon.svg to media/icon.png (128×128) with headless chromium: `node media/render-icon.cjs`.
// Needs the playwright-core that scripts/vscode-test/install.sh installs (RNN_LAB_PLAYWRIGHT) and chromium.
'use strict';
const path = require('node:path');
const { chromium } = require(process.env.RNN_LAB_PLAYWRIGHT || 'playwright-core');

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.RNN_LAB_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.goto('file://' + path.join(__dirname, 'icon.svg'));
  await page.screenshot({ path: path.join(__dirname, 'icon.png'), omitBackground: true });
  await browser.close();
})();
