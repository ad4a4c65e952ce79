import { InputError } from './jsonlError';

/** The InputError a call throws (and fails the test if it throws nothing or something else). */
export function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}
