import { DomainError } from '../libs/domain/errors';

/** Runs `fn`, expecting it to throw a DomainError, and returns that error (for unit tests). */
export function domainErrorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return err as DomainError;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}
