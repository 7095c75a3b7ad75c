/** extensionTestsPath of the development run (the extension loaded from the repository). */
import { runMochaSuites } from '../mochaRunner';

export function run(): Promise<void> {
  return runMochaSuites(__dirname, 120_000);
}
