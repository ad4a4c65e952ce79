/** Reading a file named on a script's command line, or an InputError naming it (the scorer's CLIs). */
import { readFileSync } from 'node:fs';
import { InputError } from '../src/formats/jsonlError';

export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(path, null, `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
