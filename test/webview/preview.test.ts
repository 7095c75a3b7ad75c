/**
 * The dataset preview panel in chromium: each format draws its sections from a preview computed by
 * the real code; screenshots in four themes; every DOM and SVG text ≥ 4.5:1; the uPlot axis labels
 * (canvas) are drawn in the theme's foreground colour.
 */
import assert from 'node:assert/strict';
import type { DatasetPreviewMessage } from '../../src/protocol/datasetPreview';
import { contrastRatio, foregroundPixelsLeftOfPlot, textContrasts, type ContrastFinding } from './contrast';
import { buildBundle, WebviewHarness, type WebviewPage } from './harness';
import { classificationPreview, csvPreview, errorPreview, taggingPreview, textPreview } from './previewFixtures';
import { THEME_NAMES, THEMES } from './themes';

const MIN_RATIO = 4.5;

async function showPreview(view: WebviewPage, message: DatasetPreviewMessage): Promise<void> {
  await view.send(message);
  if (message.preview) await view.page.waitForFunction((file) => document.body.dataset.previewRendered === file, message.preview.file);
  else await view.page.waitForSelector('.banner.error');
}

const axisPixels = (view: WebviewPage, foreground: string) => foregroundPixelsLeftOfPlot(view, foreground, '.series-chart');

describe('dataset preview in chromium', function () {
  const harness = new WebviewHarness();
  before(async function () {
    buildBundle();
    await harness.start();
  });
  after(async () => harness.stop());

  it('classification: class balance table, the 3:1 warning naming classWeights, lengths and the first records', async () => {
    const view = await harness.open('dark');
    const message = classificationPreview();
    await showPreview(view, message);
    assert.equal(await view.count('table.counts tbody tr'), 3);
    assert.match(await view.page.locator('.banner.warning').innerText(), /classWeights/);
    assert.equal(await view.count('svg.histogram rect.hist-bar'), message.preview!.lengths!.histogram.length);
    assert.match(await view.page.locator('.percentiles').innerText(), /p50.*p90.*p95.*p99/s);
    assert.equal(await view.count('table.records tbody tr'), 10);
    assert.match(await view.page.locator('svg.histogram').textContent() ?? '', /data\.maxLength 10/);
    await view.close();
  });

  it('tagging: the tag set; text: vocabulary, top tokens and the unknown share', async () => {
    const view = await harness.open('light');
    await showPreview(view, taggingPreview());
    assert.deepEqual(await view.page.locator('table.counts tbody td:first-child').allInnerTexts(), ['DET', 'NOUN', 'VERB', 'ADV']);
    await showPreview(view, textPreview());
    assert.match(await view.page.locator('.unknown-share').first().innerText(), /of validation tokens are unknown/);
    assert.match(await view.page.locator('.unknown-share').last().innerText(), /of test tokens are unknown/);
    assert.ok(await view.count('.top-tokens li') >= 5);
    await view.close();
  });

  it('CSV: one uPlot chart per column, missing cells, the gap and the split boundaries', async () => {
    const view = await harness.open('dark');
    await showPreview(view, csvPreview());
    assert.equal(await view.count('.series-chart canvas'), 2);
    const chart = view.page.locator('.series-chart').first();
    assert.equal(await chart.getAttribute('data-missing'), '6');
    assert.equal(await chart.getAttribute('data-boundaries'), 'validation,test');
    assert.equal(await chart.getAttribute('data-gaps'), '1');
    assert.ok(await axisPixels(view, THEMES.dark.vars.foreground) > 20);
    await view.close();
  });

  it('a file that cannot be read shows its file:line:column error', async () => {
    const view = await harness.open('dark');
    await showPreview(view, errorPreview());
    assert.match(await view.page.locator('.banner.error').innerText(), /^bad\.jsonl:3:12: /);
    await view.close();
  });

  for (const theme of THEME_NAMES) {
    it(`screenshots and text contrast ≥ 4.5:1 in ${theme}; uPlot axis text in the theme's foreground`, async () => {
      const view = await harness.open(theme, 1000);
      const findings: ContrastFinding[] = [];
      for (const [name, make] of [['classification', classificationPreview], ['text', textPreview], ['tagging', taggingPreview], ['csv', csvPreview]] as const) {
        await showPreview(view, make());
        await view.page.waitForTimeout(100);
        findings.push(...await textContrasts(view));
        await view.screenshot(`preview-${name}-${theme}`);
      }
      const foreground = THEMES[theme].vars.foreground;
      const pixels = await axisPixels(view, foreground);
      await view.close();
      const low = findings.filter((f) => f.ratio < MIN_RATIO).map((f) => `${f.ratio}:1 "${f.text}" ${f.where} (${f.color} on ${f.background})`);
      assert.ok(findings.length > 100, `texts measured: ${findings.length}`);
      assert.deepEqual([...new Set(low)], [], 'texts below 4.5:1');
      assert.ok(pixels > 20, `the axis labels are drawn in the foreground ${foreground} (${pixels} pixels)`);
      assert.ok(contrastRatio(foreground, THEMES[theme].vars['editor-background']) >= MIN_RATIO);
    });
  }
});
