/** extensionTestsPath of the packaged run (the extension installed from the .vsix). */
import { runMochaSuites } from '../mochaRunner';

export function run(): Promise<void> {
  return runMochaSuites(__dirname, 180_000);
}
