/**
 * The Runs view's context menus: each entry is offered on the kind of node its command takes. A `viewItem`
 * regex is evaluated against every contextValue the view gives (src/extension/views/runsView.ts).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));
const KINDS: Record<string, string[]> = {
  run: ['rnnLab.run', 'rnnLab.run.resumable'],
  spec: ['rnnLab.runsOfSpec'],
  sweep: ['rnnLab.sweep', 'rnnLab.sweep.resumable'],
};

/** The contextValues a `when` clause's viewItem condition accepts (only `==` and `=~ /re/` are used). */
function accepted(when: string): string[] {
  const all = Object.values(KINDS).flat();
  const equal = /viewItem == ([\w.]+)/.exec(when);
  if (equal) return all.filter((value) => value === equal[1]);
  const match = /viewItem =~ \/(.+?)\/(?:\s|$)/.exec(when);
  if (match) return all.filter((value) => new RegExp(match[1]).test(value));
  return all;
}

describe('Runs view context menus', () => {
  const entries = (pkg.contributes.menus['view/item/context'] as { command: string; when: string }[])
    .filter((entry) => entry.when.includes('view == rnnLab.runs'));

  it('every entry is offered on one kind of node only (run, spec or sweep)', () => {
    assert.ok(entries.length > 0);
    for (const entry of entries) {
      const values = accepted(entry.when);
      const kinds = Object.entries(KINDS).filter(([, list]) => list.some((value) => values.includes(value))).map(([kind]) => kind);
      assert.equal(kinds.length, 1, `${entry.command} (${entry.when}) is offered on: ${kinds.join(', ') || 'nothing'}`);
    }
  });

  it('run commands are offered on runs, not on a spec node', () => {
    for (const command of ['rnnLab.openDashboard', 'rnnLab.evaluateRun', 'rnnLab.sampleRun', 'rnnLab.exportModel', 'rnnLab.deleteRun']) {
      const values = entries.filter((entry) => entry.command === command).flatMap((entry) => accepted(entry.when));
      assert.ok(values.includes('rnnLab.run'), `${command} on a run`);
      assert.ok(!values.includes('rnnLab.runsOfSpec'), `${command} is not offered on a spec node`);
    }
  });
});
