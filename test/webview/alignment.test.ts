/**
 * The attention heatmap under each epoch's sample of a seq2seq run (generated × source tokens), in
 * the four themes: one canvas per sample that carries an alignment, sized rows × columns, its token
 * names drawn in the theme's foreground (which reaches 4.5:1), and every DOM text around it at 4.5:1.
 */
import assert from 'node:assert/strict';
import type { TrainingEvent } from '../../src/protocol/hostWebview';
import { contrastRatio, textContrasts } from './contrast';
import { syntheticRun } from './fixtures';
import { buildBundle, WebviewHarness } from './harness';
import { THEME_NAMES, THEMES } from './themes';

const SOURCE = [...'phoenix'];
const PHONES = ['F', 'IY', 'N', 'IH', 'K', 'S'];

/** A seq2seq run whose epoch samples carry an alignment that sharpens onto the diagonal. */
function attentionRun(epochs: number): TrainingEvent[] {
  return syntheticRun(epochs, 10).map((e) => {
    if (e.event !== 'sample') return e;
    const sharp = e.epoch / epochs;
    const attention = PHONES.map((_, t) => {
      const row = SOURCE.map((_, j) => Math.exp(-sharp * 4 * Math.abs(j - t)));
      const sum = row.reduce((s, a) => s + a, 0);
      return row.map((a) => a / sum);
    });
    return { ...e, temperature: 0, text: `phoenix → ${PHONES.join(' ')}`, sourceTokens: SOURCE, tokens: PHONES, attention };
  });
}

describe('attention heatmap in the dashboard (chromium)', function () {
  const harness = new WebviewHarness();
  before(async function () {
    buildBundle();
    await harness.start();
  });
  after(async () => harness.stop());

  for (const theme of THEME_NAMES) {
    it(`draws generated × source tokens under each epoch's sample, readable in ${theme}`, async () => {
      const view = await harness.open(theme);
      const run = attentionRun(3);
      await view.send({ type: 'dashboard', restoreUri: 'file:///ws/.rnnlab/runs/r', run: { id: 'r1', label: 'cmu-dot', task: 'seq2seq', status: 'running', live: true },
        events: run, otherRuns: [] });
      await view.waitForRendered(run.length);
      assert.equal(await view.count('.sample.epoch canvas.heatmap.alignment'), 3);
      const latest = view.page.locator('.sample.epoch').first().locator('canvas.heatmap.alignment');
      assert.equal(await latest.getAttribute('data-rows'), String(PHONES.length));
      assert.equal(await latest.getAttribute('data-cols'), String(SOURCE.length));
      assert.match(await latest.getAttribute('aria-label') ?? '', /6 generated tokens over 7 source tokens at epoch 3/);
      await view.page.locator('.sample.epoch').first().scrollIntoViewIfNeeded();
      await view.screenshot(`alignment-heatmap-${theme}`);
      // The token names are canvas text in the theme's foreground: count its pixels in the row-name strip.
      const foreground = THEMES[theme].vars.foreground;
      const namePixels = await view.page.evaluate((fg) => {
        const want = [1, 3, 5].map((i) => parseInt(fg.slice(i, i + 2), 16));
        const canvas = document.querySelector('.sample.epoch canvas.heatmap.alignment') as HTMLCanvasElement;
        const strip = Math.floor(60 * (canvas.width / canvas.clientWidth));
        const data = canvas.getContext('2d')!.getImageData(0, 0, strip, canvas.height).data;
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 128 && want.every((v, k) => Math.abs(data[i + k] - v) <= 12)) n++;
        return n;
      }, foreground);
      const findings = await textContrasts(view, '.sample.epoch[data-epoch="3"]');
      await view.close();
      assert.ok(namePixels > 20, `token names drawn in the foreground ${foreground} (${namePixels} pixels)`);
      assert.ok(contrastRatio(foreground, THEMES[theme].vars['editor-background']) >= 4.5);
      assert.ok(findings.some((f) => f.text.includes('generated tokens (rows)')), 'the caption was measured');
      const low = findings.filter((f) => f.ratio < 4.5).map((f) => `${f.ratio}:1 "${f.text}" ${f.where}`);
      assert.deepEqual(low, []);
    });
  }

  it('a sample without an alignment draws none; one whose rows do not fit its tokens is refused by the guard', async () => {
    const view = await harness.open('dark');
    const run = syntheticRun(2, 5);
    const broken = { event: 'sample', epoch: 3, temperature: 0, text: 'ab → x', sourceTokens: ['a', 'b'], tokens: ['x'], attention: [[0.5, 0.25, 0.25]] };
    await view.send({ type: 'dashboard', restoreUri: 'file:///ws/.rnnlab/runs/r', run: { id: 'r1', label: 'plain', task: 'seq2seq', status: 'running', live: true },
      events: [...run, broken as unknown as TrainingEvent], otherRuns: [] });
    await view.waitForRendered(run.length);
    assert.equal(await view.count('.sample.epoch'), 2);
    assert.equal(await view.count('canvas.heatmap.alignment'), 0);
    await view.close();
  });
});
