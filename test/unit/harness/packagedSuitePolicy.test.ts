import assert from 'node:assert/strict';
import { skipPackagedSuite } from '../../integration/packagedSuitePolicy';

describe('integration harness: the packaged .vsix suite', () => {
  it('runs by default, and is skipped locally with RNN_LAB_SKIP_VSIX_TEST=1', () => {
    assert.equal(skipPackagedSuite({}), false);
    assert.equal(skipPackagedSuite({ RNN_LAB_SKIP_VSIX_TEST: '1' }), true);
  });

  it('runs in CI even when RNN_LAB_SKIP_VSIX_TEST=1 is set', () => {
    assert.equal(skipPackagedSuite({ RNN_LAB_SKIP_VSIX_TEST: '1', CI: 'true' }), false);
    assert.equal(skipPackagedSuite({ CI: 'true' }), false);
  });
});
