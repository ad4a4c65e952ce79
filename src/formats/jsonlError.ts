/** A malformed input, located by file and 1-based line: the message a user needs to fix it. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly problem: string,
  ) {
    super(`${file}${line !== null ? `:${line}` : ''}: ${problem}`);
    this.name = 'InputError';
  }
}
