/**
 * WCAG contrast of every rendered text, measured in the page: each DOM text node and SVG <text> is
 * hit-tested at its centre; the painted layers under it (HTML background-color, SVG fill, also inside
 * shadow roots) are alpha-composited from the top down to an opaque colour; the text's own colour
 * (`color` for HTML, `fill` for SVG, times its ancestors' opacity) is composited over that. The ratio
 * is (L1 + 0.05) / (L2 + 0.05) of the WCAG relative luminances.
 */
import type { WebviewPage } from './harness';

export interface ContrastFinding { text: string; where: string; color: string; background: string; ratio: number }

/** Plain JS source (not a TS function) so the test's transform adds nothing to what runs in the page. */
const IN_PAGE = `function (scope) {
  const probe = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  const rgba = (css) => {
    if (!css || css === 'none' || css === 'transparent') return [0, 0, 0, 0];
    probe.clearRect(0, 0, 1, 1); probe.fillStyle = '#000'; probe.fillStyle = css; probe.fillRect(0, 0, 1, 1);
    const d = probe.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top, below) => {
    const a = top[3] + below[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    return [0, 1, 2].map((i) => (top[i] * top[3] + below[i] * below[3] * (1 - top[3])) / a).concat(a);
  };
  const luminance = (c) => {
    const lin = c.slice(0, 3).map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4); });
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  };
  const opacityOf = (el) => { let o = 1; for (let e = el; e; e = e.parentElement || (e.getRootNode() instanceof ShadowRoot ? e.getRootNode().host : null)) o *= Number(getComputedStyle(e).opacity); return o; };
  const isSvg = (el) => el instanceof SVGElement;
  const SHAPES = new Set(['rect', 'circle', 'ellipse', 'path', 'polygon']);
  const painted = (el) => {
    const cs = getComputedStyle(el);
    if (isSvg(el)) {
      if (!SHAPES.has(el.tagName)) return [0, 0, 0, 0];
      const c = rgba(cs.fill);
      return [c[0], c[1], c[2], c[3] * Number(cs.fillOpacity)];
    }
    return rgba(cs.backgroundColor);
  };
  const stackAt = (x, y) => {
    const out = [];
    for (const el of document.elementsFromPoint(x, y)) {
      if (el.shadowRoot) for (const inner of el.shadowRoot.elementsFromPoint(x, y)) if (inner !== el && el.shadowRoot.contains(inner)) out.push(inner);
      out.push(el);
    }
    return out;
  };
  const backgroundAt = (x, y) => {
    const layers = [];
    for (const el of stackAt(x, y)) {
      if (el.tagName === 'text' || el.tagName === 'tspan') continue; // an SVG text's own fill is its colour, not its background
      const c = painted(el);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const findings = [];
  const check = (text, rect, el, colorCss, where) => {
    if (!text.trim() || rect.width === 0 || rect.height === 0) return;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden') return;
    const x = rect.left + rect.width / 2, y = rect.top + rect.height / 2;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) { findings.push({ text, where, color: colorCss, background: 'off screen', ratio: 0 }); return; }
    const bg = backgroundAt(x, y);
    const c = rgba(colorCss);
    const fg = over([c[0], c[1], c[2], c[3] * opacityOf(el)], bg);
    const l1 = luminance(fg), l2 = luminance(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    findings.push({ text: text.trim().slice(0, 40), where, color: 'rgb(' + fg.slice(0, 3).map(Math.round) + ')', background: 'rgb(' + bg.slice(0, 3).map(Math.round) + ')', ratio: Math.round(ratio * 100) / 100 });
  };
  const describe = (el) => el.tagName.toLowerCase() + (el.getAttribute('class') ? '.' + el.getAttribute('class').trim().replace(/\\s+/g, '.') : '');
  const root = document.querySelector(scope);
  for (const t of root.querySelectorAll('svg text')) check(t.textContent, t.getBoundingClientRect(), t, getComputedStyle(t).fill, describe(t.parentElement) + ' > ' + describe(t));
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    // Slotted text inherits its colour from its slot (the flat tree), not from the host element.
    const el = n.assignedSlot || n.parentElement;
    if (!el || isSvg(el) || el.closest('svg, style, script, title')) continue;
    // Disabled controls are exempt from WCAG 1.4.3 (inactive user interface components).
    if (n.parentElement.closest('[disabled], [aria-disabled="true"]')) continue;
    const range = document.createRange(); range.selectNodeContents(n);
    const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
    if (rects.length === 0) continue;
    check(n.textContent, rects[0], el, getComputedStyle(el).color, describe(n.parentElement));
  }
  return findings;
}`;

/** Every visible text under `scope` with its rendered colours and contrast ratio. */
export async function textContrasts(view: WebviewPage, scope = '#root'): Promise<ContrastFinding[]> {
  // A viewport as tall as the page, so that every text can be hit-tested where it is drawn.
  const height = await view.page.evaluate(() => document.documentElement.scrollHeight);
  const size = view.page.viewportSize()!;
  await view.page.setViewportSize({ width: size.width, height: Math.min(16000, Math.max(size.height, height)) });
  return view.page.evaluate(`(${IN_PAGE})(${JSON.stringify(scope)})`) as Promise<ContrastFinding[]>;
}

/** WCAG 2 relative luminance contrast of two `#rrggbb` colours (for checks done outside the page). */
export function contrastRatio(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((s) => (s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4)));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [l1, l2] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (l1 + 0.05) / (l2 + 0.05);
}

/**
 * Canvas text: pixels of the `#rrggbb` colour `foreground` left of the plot area of the first uPlot
 * chart matching `chart` (where uPlot draws the y tick labels and the axis title, and no series line).
 */
export function foregroundPixelsLeftOfPlot(view: WebviewPage, foreground: string, chart = '.chart'): Promise<number> {
  return view.page.evaluate(([fg, selector]) => {
    const want = [1, 3, 5].map((i) => parseInt(fg.slice(i, i + 2), 16));
    const canvas = document.querySelector(`${selector} canvas`) as HTMLCanvasElement;
    const over = document.querySelector(`${selector} .u-over`) as HTMLElement;
    const strip = Math.floor((over.offsetLeft - 2) * (canvas.width / canvas.clientWidth));
    const data = canvas.getContext('2d')!.getImageData(0, 0, strip, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 128 && want.every((v, k) => Math.abs(data[i + k] - v) <= 12)) n++;
    return n;
  }, [foreground, chart] as const);
}
