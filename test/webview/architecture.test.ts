import assert from 'node:assert/strict';
import { buildBundle, WebviewHarness, type WebviewPage } from './harness';
import { architectureMessage, STACK_CASES, TASK_CASES, type SpecCase } from './fixtures';
import { THEME_NAMES } from './themes';

describe('architecture view in chromium', function () {
  const harness = new WebviewHarness();
  let view: WebviewPage;
  const byName = (name: string): SpecCase => [...TASK_CASES, ...STACK_CASES].find((c) => c.name === name)!;

  before(async function () {
    buildBundle();
    await harness.start();
    view = await harness.open('dark');
  });
  after(async () => harness.stop());

  async function show(c: SpecCase): Promise<void> {
    await view.send(architectureMessage(c));
    await view.page.waitForSelector('svg.unrolled');
  }

  async function screenshots(name: string): Promise<void> {
    for (const theme of THEME_NAMES) {
      await view.setTheme(theme);
      await view.screenshot(`architecture-${name}-${theme}`);
    }
    await view.setTheme('dark');
  }

  it('many-to-one: input at every step, one output and loss at the last step', async () => {
    await show(byName('many-to-one'));
    assert.equal(await view.count('svg.folded .block.layer'), 1);
    assert.equal(await view.count('svg.unrolled .node.hidden'), 6);
    assert.equal(await view.count('svg.unrolled .node.input.x'), 6);
    assert.equal(await view.count('svg.unrolled .node.output'), 1);
    assert.equal(await view.count('svg.unrolled .edge.recurrent'), 5);
    await screenshots('many-to-one');
  });

  it('many-to-many over 30 steps elides the middle and emits at every drawn step', async () => {
    await show(byName('many-to-many'));
    assert.equal(await view.count('svg.folded .block.layer'), 2);
    assert.equal(await view.count('svg.unrolled .label.ellipsis'), 2 + 1); // one per layer row and one for the inputs
    assert.equal(await view.count('svg.unrolled .node.hidden'), 2 * 10);
    assert.equal(await view.count('svg.unrolled .node.output'), 10);
    // LSTM, H = 64, E = 16: 4·64·16 + 4·64·64 + 2·4·64 = 20,992 parameters in layer 1.
    const counts = await view.page.locator('svg.folded .block.layer .label.count').allTextContents();
    assert.equal(counts[0], '20,992 params');
    // layer 2 reads the 64-wide output of layer 1: 4·64·64 · 2 + 2·4·64 = 33,280.
    assert.equal(counts[1], '33,280 params');
    await screenshots('many-to-many');
  });

  it('one-to-many: v sets h₀, every step reads the previous output and emits one', async () => {
    await show(byName('one-to-many'));
    assert.equal(await view.count('svg.unrolled .node.hidden'), 5);
    assert.equal(await view.count('svg.unrolled .node.output'), 5);
    assert.equal(await view.count('svg.unrolled .node.input.feedback'), 5);
    assert.equal(await view.count('svg.unrolled .edge.init'), 1);
    assert.equal(await view.count('svg.unrolled .edge.feedback'), 4);
    assert.equal(await view.count('svg.folded .block.init'), 1);
    await screenshots('one-to-many');
  });

  it('seq2seq: encoder steps without outputs, the state crosses to the decoder', async () => {
    await show(byName('seq2seq'));
    assert.equal(await view.count('svg.folded .block.layer'), 4);
    assert.equal(await view.count('svg.unrolled .node.input.x'), 4);
    assert.equal(await view.count('svg.unrolled .node.output'), 6);
    assert.equal(await view.count('svg.unrolled .node.hidden'), 2 * (4 + 6));
    assert.equal(await view.count('svg.unrolled .edge.state'), 2);
    await screenshots('seq2seq');
  });

  it('seq2seq with fed attention: the attention block reads the encoder; every decoder step attends over every encoder step', async () => {
    await show(byName('seq2seq-attention'));
    assert.equal(await view.count('svg.folded .block.attention'), 1);
    assert.equal(await view.count('svg.folded .edge.attention'), 1, 'encoder outputs → attention');
    assert.equal(await view.count('svg.folded .edge.feed'), 1, 'h̃ₜ₋₁ → decoder input');
    assert.equal(await view.count('svg.unrolled .node.attention'), 6);
    assert.equal(await view.count('svg.unrolled .edge.attention'), 4 * 6);
    assert.equal(await view.count('svg.unrolled .edge.feed'), 5);
    await view.page.hover('svg.folded [data-block-id="attention"]');
    const text = await view.page.locator('.equations').innerText();
    assert.match(text, /eₜⱼ = sₜᵀ W_a hⱼ/);
    assert.match(text, /h̃ₜ = tanh\(W_c \[cₜ ; sₜ\] \+ b_c\)/);
    assert.match(text, /attention\.combine\.weight ∈ ℝ\^64×128/);
    assert.match(text, /feeding/);
    await screenshots('seq2seq-attention');
  });

  it('bidirectional stack: two lanes per layer with opposite arrows, joined at merge nodes', async () => {
    await show(byName('bidirectional-stack'));
    assert.equal(await view.count('svg.unrolled .node.hidden.forward'), 2 * 5);
    assert.equal(await view.count('svg.unrolled .node.hidden.backward'), 2 * 5);
    assert.equal(await view.count('svg.unrolled .node.merge'), 2 * 5);
    const directions = await view.page.$$eval('svg.unrolled .edge.recurrent', (lines) =>
      lines.map((l) => ({ backward: l.classList.contains('backward'), dx: Number(l.getAttribute('x2')) - Number(l.getAttribute('x1')) })));
    assert.equal(directions.length, 2 * 2 * 4);
    for (const d of directions) assert.ok(d.backward ? d.dx < 0 : d.dx > 0, 'forward arrows point right, backward ones left');
    assert.equal(await view.count('svg.folded .edge.lane.reverse'), 2);
    await screenshots('bidirectional-stack');
  });

  it('deep skip stack: one residual arc around every layer, at every step', async () => {
    await show(byName('deep-skip'));
    assert.equal(await view.count('svg.folded .block.layer'), 4);
    assert.equal(await view.count('svg.folded .arc.skip'), 4);
    assert.equal(await view.count('svg.unrolled .arc.skip'), 4 * 5);
    assert.equal(await view.count('svg.unrolled .arc.dense'), 0);
    await screenshots('deep-skip');
  });

  it('deep dense stack: layer k reads the input and every earlier layer (k(k−1)/2 extra arcs)', async () => {
    await show(byName('deep-dense'));
    assert.equal(await view.count('svg.folded .arc.dense'), 6);
    assert.equal(await view.count('svg.unrolled .arc.dense'), 6 * 4);
    await screenshots('deep-dense');
  });

  it('hover shows the equations with actual sizes; click and Enter reveal the key in the spec', async () => {
    await show(byName('many-to-many'));
    const before = (await view.posted()).length;
    await view.page.hover('svg.folded [data-block-id="embedding"]');
    assert.match(await view.page.locator('.equations').innerText(), /E\[xₜ\]/);
    await view.page.hover('svg.folded [data-block-id="layer1"]');
    const text = await view.page.locator('.equations').innerText();
    assert.match(text, /W_ih ∈ ℝ\^256×64/);
    assert.match(text, /cₜ = fₜ ⊙ cₜ₋₁ \+ iₜ ⊙ gₜ/);
    await view.page.click('svg.folded [data-block-id="layer0"]');
    await view.page.focus('svg.folded [data-block-id="head"]');
    await view.page.keyboard.press('Enter');
    const posted = (await view.posted()).slice(before);
    assert.deepEqual(posted, [{ type: 'revealKey', path: '/model/cell' }, { type: 'revealKey', path: '/task' }]);
  });

  it('an invalid spec lists its errors in place and keeps the last diagram, dimmed', async () => {
    await show(byName('deep-skip'));
    await view.send({ type: 'architecture', restoreUri: 'file:///ws/deep-skip.rnn.json', specName: 'deep-skip.rnn.json', diagram: null, issues: [
      { path: '/model/hiddenSize', message: 'expected an integer ≥ 1, got -3', line: 7, column: 19 },
      { path: '/model/cell', message: 'expected one of rnn, lstm, gru, got "lstn"' }] });
    await view.page.waitForSelector('.issues li');
    assert.equal(await view.count('.issues li'), 2);
    assert.equal(await view.count('.diagrams.stale svg.folded'), 1);
    await screenshots('invalid-spec');
    const before = (await view.posted()).length;
    await view.page.click('.issues li button');
    assert.deepEqual((await view.posted()).slice(before), [{ type: 'revealKey', path: '/model/hiddenSize' }]);
  });

  /** Where the folded diagram and its texts lie on screen, and the smallest rendered font size. */
  async function foldedFit(page: WebviewPage) {
    return page.page.evaluate(() => {
      const svg = document.querySelector('svg.folded') as SVGSVGElement;
      const box = svg.getBoundingClientRect();
      const scale = box.width / svg.viewBox.baseVal.width;
      const texts = Array.from(svg.querySelectorAll('text'));
      const right = Math.max(...texts.map((t) => t.getBoundingClientRect().right));
      const left = Math.min(...texts.map((t) => t.getBoundingClientRect().left));
      const scroller = svg.parentElement!;
      return {
        viewport: document.documentElement.clientWidth, svgLeft: box.left, svgRight: box.right, textLeft: left, textRight: right,
        overflow: scroller.scrollWidth - scroller.clientWidth,
        minFontPx: Math.min(...texts.map((t) => parseFloat(getComputedStyle(t).fontSize) * scale)),
        headRight: (svg.querySelector('[data-block-id="head"] .box') as SVGRectElement).getBoundingClientRect().right,
      };
    });
  }

  for (const width of [400, 600, 1000]) {
    it(`the folded diagram of a 2-layer LSTM fits a ${width} px panel with readable text`, async () => {
      const page = await harness.open('dark', width);
      await page.send(architectureMessage(byName('many-to-many')));
      await page.page.waitForSelector('svg.folded');
      await page.screenshot(`architecture-fit-${width}`);
      const fit = await foldedFit(page);
      await page.close();
      const where = JSON.stringify(fit);
      assert.ok(fit.svgLeft >= 0 && fit.svgRight <= fit.viewport, `the SVG lies within the viewport: ${where}`);
      assert.ok(fit.textLeft >= 0 && fit.textRight <= fit.viewport, `every label lies within the viewport: ${where}`);
      assert.ok(fit.headRight <= fit.viewport, `the head is not cut off: ${where}`);
      assert.ok(fit.overflow <= 0, `no sideways scrolling: ${where}`);
      assert.ok(fit.minFontPx >= 9, `the smallest label renders at ≥ 9 px: ${where}`);
    });
  }

  it('the folded diagram refits when the panel is resized', async () => {
    const page = await harness.open('light', 1000);
    await page.send(architectureMessage(byName('deep-dense')));
    await page.page.waitForSelector('svg.folded');
    await page.page.setViewportSize({ width: 420, height: 900 });
    await page.page.waitForTimeout(300);
    await page.screenshot('architecture-fit-resized-420');
    const fit = await foldedFit(page);
    await page.close();
    assert.ok(fit.textRight <= fit.viewport && fit.overflow <= 0 && fit.minFontPx >= 9, JSON.stringify(fit));
  });

  it('draws without CSP violations or console errors', async () => {
    // Self-contained: it draws a diagram on a page of its own, so it means the same when run alone.
    const first = harness.consoleProblems.length;
    const page = await harness.open('light');
    await page.send(architectureMessage(byName('deep-dense')));
    await page.page.waitForSelector('svg.unrolled');
    assert.equal(await page.count('svg.folded .block.layer'), 4, 'the diagram was drawn');
    await page.close();
    assert.deepEqual(harness.consoleProblems.slice(first), [], 'this page logged no CSP violation, error or warning');
    assert.deepEqual(harness.consoleProblems, [], 'nor did any page of this file');
  });
});
