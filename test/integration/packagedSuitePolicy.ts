/**
 * Whether `npm run test:integration` skips the packaged-extension suite. RNN_LAB_SKIP_VSIX_TEST=1
 * shortens local runs; with `CI` set it is ignored, so CI always tests the .vsix users install.
 */
export function skipPackagedSuite(env: Record<string, string | undefined>): boolean {
  return env.RNN_LAB_SKIP_VSIX_TEST === '1' && !env.CI;
}
