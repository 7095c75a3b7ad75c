/**
 * Serves the built webview bundle from 127.0.0.1 in the panels' own HTML (same CSP), with a stub
 * `acquireVsCodeApi` that records posted messages, and drives Debian's chromium via playwright-core.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdirSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { HostToWebview, WebviewToHost } from '../../src/protocol/hostWebview';
import { webviewHtml } from '../../src/extension/panels/webviewHtml';
import { THEMES, type ThemeName } from './themes';

const ROOT = resolve(__dirname, '../..');
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'webview');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const NONCE = 'testnonce0123456789';

const STUB = `window.__posted = [];
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
  getState: () => undefined, setState: () => {},
});`;

export function buildBundle(): void {
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

export class WebviewHarness {
  private server!: Server;
  private browser!: Browser;
  private origin = '';
  readonly consoleProblems: string[] = [];

  async start(): Promise<void> {
    if (!existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    this.server = createServer((req, res) => {
      const url = req.url ?? '/';
      const send = (type: string, body: string | Buffer) => { res.writeHead(200, { 'content-type': type }); res.end(body); };
      if (url === '/') {
        const html = webviewHtml({ cspSource: this.origin, nonce: NONCE, scriptUri: '/dist/webview.js', styleUri: '/dist/webview.css', title: 'test' })
          .replace('<script ', `<script nonce="${NONCE}" src="/stub.js"></script>\n<script `);
        send('text/html', html);
      } else if (url === '/stub.js') send('text/javascript', STUB);
      else if (url === '/dist/webview.js' || url === '/dist/webview.css') {
        send(url.endsWith('.js') ? 'text/javascript' : 'text/css', readFileSync(join(ROOT, url)));
      } else { res.writeHead(url === '/favicon.ico' ? 204 : 404); res.end(); }
    });
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--js-flags=--expose-gc'],
    });
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }

  /** Opens a fresh page in `theme`, waits for the webview's `ready`. */
  async open(theme: ThemeName = 'dark', width = 1200): Promise<WebviewPage> {
    const page = await this.browser.newPage({ viewport: { width, height: 900 } });
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') this.consoleProblems.push(m.text()); });
    page.on('pageerror', (e) => this.consoleProblems.push(`pageerror: ${e.message}`));
    await page.goto(this.origin + '/');
    const view = new WebviewPage(page);
    await view.setTheme(theme);
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
    return view;
  }

  /** Opens a fresh page showing `html`, a script-free view (results, explanation), in `theme`. */
  async openHtml(html: string, theme: ThemeName = 'dark', width = 1200): Promise<WebviewPage> {
    const page = await this.browser.newPage({ viewport: { width, height: 900 } });
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') this.consoleProblems.push(m.text()); });
    page.on('pageerror', (e) => this.consoleProblems.push(`pageerror: ${e.message}`));
    await page.setContent(html);
    const view = new WebviewPage(page);
    await view.setTheme(theme);
    return view;
  }
}

export class WebviewPage {
  constructor(readonly page: Page) {}

  async setTheme(theme: ThemeName): Promise<void> {
    const { bodyClass, vars } = THEMES[theme];
    await this.page.evaluate(([cls, v]) => {
      const style = document.documentElement.style;
      for (let i = style.length - 1; i >= 0; i--) style.removeProperty(style[i]);
      for (const [k, value] of Object.entries(v)) style.setProperty(`--vscode-${k}`, value);
      document.body.className = cls;
    }, [bodyClass, vars] as const);
  }

  async send(message: HostToWebview): Promise<void> {
    // As a JSON string: playwright's structured serialisation of large objects is slow.
    await this.page.evaluate((json) => window.postMessage(JSON.parse(json), '*'), JSON.stringify(message));
  }

  posted(): Promise<WebviewToHost[]> {
    return this.page.evaluate(() => (window as unknown as { __posted: WebviewToHost[] }).__posted);
  }

  count(selector: string): Promise<number> {
    return this.page.locator(selector).count();
  }

  /** Waits until the dashboard has drawn `n` events (it redraws at most 10 times a second). */
  async waitForRendered(n: number): Promise<void> {
    await this.page.waitForFunction((k) => Number(document.body.dataset.renderedEvents ?? -1) >= k, n, { timeout: 10_000 });
  }

  async screenshot(name: string): Promise<void> {
    await this.page.waitForTimeout(150);
    await this.page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  }

  close(): Promise<void> {
    return this.page.close();
  }
}
