/** Finds a CPython for the differential tests: the first of python3, /usr/bin/python3, python that imports `modules`. */
import { execFileSync } from 'node:child_process';

export function findPython(modules: string[] = []): string | null {
  for (const cmd of ['python3', '/usr/bin/python3', 'python']) {
    try {
      execFileSync(cmd, ['-c', ['import sys', ...modules.map((m) => `import ${m}`)].join('; ')], { stdio: 'ignore' });
      return cmd;
    } catch {
      /* try the next one */
    }
  }
  return null;
}
