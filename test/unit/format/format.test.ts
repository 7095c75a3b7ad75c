/**
 * The shared display helpers (src/format): one formatDuration for the CLI, the status bar, the Runs
 * view and the dashboard; one formatValue for the evaluation report, Predict on Selection and the
 * dashboard; one escapeHtml for both HTML pages; one showValue for the values error messages quote;
 * one formatMetrics for the CLI and the extension's log.
 */
import { strict as assert } from 'node:assert';
import { formatDuration } from '../../../src/format/duration';
import { escapeHtml } from '../../../src/format/html';
import { formatMetrics } from '../../../src/format/metrics';
import { formatValue } from '../../../src/format/value';
import { showValue } from '../../../src/format/showValue';

describe('formatDuration', () => {
  it('reads 42s, 1m05s, 2h03m, rounded to the second', () => {
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(41_600), '42s');
    assert.equal(formatDuration(65_000), '1m05s');
    assert.equal(formatDuration(59 * 60_000 + 59_400), '59m59s');
    assert.equal(formatDuration(2 * 3_600_000 + 3 * 60_000 + 20_000), '2h03m');
  });

  it('shows a negative duration as 0s and one that is not a number (a bad start date) as —, never NaNs', () => {
    assert.equal(formatDuration(-5_000), '0s');
    assert.equal(formatDuration(NaN), '—');
    assert.equal(formatDuration(Infinity), '—');
  });
});

describe('formatValue', () => {
  it('rounds to 4 significant digits without float noise', () => {
    assert.equal(formatValue(0.1 + 0.2), '0.3');
    assert.equal(formatValue(1.23456), '1.235');
    assert.equal(formatValue(-2718.28), '-2718');
    assert.equal(formatValue(0.000123456), '0.0001235');
  });

  it('keeps integers exact (a count of 12345 is not 12350)', () => {
    assert.equal(formatValue(12345), '12345');
    assert.equal(formatValue(0), '0');
    assert.equal(formatValue(-7), '-7');
  });

  it('uses an exponent only far from 1, without trailing zeros', () => {
    assert.equal(formatValue(0.00001234), '1.234e-5');
    assert.equal(formatValue(0.00005), '5e-5');
    assert.equal(formatValue(1234567.8), '1.235e+6');
  });

  it('takes the number of significant digits', () => {
    assert.equal(formatValue(0.0123456, 2), '0.012');
    assert.equal(formatValue(3.14159, 3), '3.14');
  });

  it('shows NaN and infinities as themselves', () => {
    assert.equal(formatValue(NaN), 'NaN');
    assert.equal(formatValue(-Infinity), '-Infinity');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    assert.equal(escapeHtml(`<a href="x?a=1&b='2'">`), '&lt;a href=&quot;x?a=1&amp;b=&#39;2&#39;&quot;&gt;');
    assert.equal(escapeHtml('plain ✓ text'), 'plain ✓ text');
  });
});

describe('showValue', () => {
  it('shows a found value as JSON, and nothing as nothing', () => {
    assert.equal(showValue('abc'), '"abc"');
    assert.equal(showValue(12), '12');
    assert.equal(showValue({ a: [1, null] }), '{"a":[1,null]}');
    assert.equal(showValue(undefined), 'nothing');
    assert.equal(showValue(Symbol('s')), 'Symbol(s)', 'what JSON cannot show, as text');
  });

  it('cuts a long value at 60 characters, ... marking the cut (predict cut it without a mark, data errors at 40)', () => {
    const long = Array.from({ length: 40 }, (_, i) => i);
    const shown = showValue(long);
    assert.equal(shown.length, 60);
    assert.equal(shown, JSON.stringify(long).slice(0, 57) + '...');
    assert.equal(showValue('x'.repeat(58)), `"${'x'.repeat(58)}"`);
  });
});

describe('formatMetrics', () => {
  it('prints integers as they are and other values with 4 decimals, two spaces apart unless told', () => {
    assert.equal(formatMetrics({ loss: 1.23456, accuracy: 0.5, count: 12 }), 'loss 1.2346  accuracy 0.5000  count 12');
    assert.equal(formatMetrics({ loss: 2, rmse: 0.1 }, ', '), 'loss 2, rmse 0.1000');
  });
});
