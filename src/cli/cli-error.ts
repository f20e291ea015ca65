/**
 * Errors the user can fix: bad flags, a missing topic, a broker that cannot be reached. The
 * message says what went wrong and what to type instead; `main` prints it after `runnel: `
 * and exits 1.
 */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
