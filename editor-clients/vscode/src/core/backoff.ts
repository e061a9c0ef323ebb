// Restart delays after server crashes: doubling from a first delay up to a cap, reset once a server stays up.

export interface BackoffOptions {
  firstDelayMs: number;
  maxDelayMs: number;
  // After this many crashes in a row without a stable run, stop restarting: the server is broken, not unlucky.
  maxAttempts: number;
  // A server that stayed up this long counts as stable and resets the sequence.
  stableAfterMs: number;
}

export const defaultBackoff: BackoffOptions = {
  firstDelayMs: 500, maxDelayMs: 30_000, maxAttempts: 6, stableAfterMs: 60_000,
};

export class Backoff {
  private attempts = 0;

  constructor(private readonly options: BackoffOptions = defaultBackoff) {}

  // The delay before the next restart of a server that ran for `uptimeMs`, or undefined to give up.
  nextDelay(uptimeMs: number): number | undefined {
    if (uptimeMs >= this.options.stableAfterMs) this.attempts = 0;
    if (this.attempts >= this.options.maxAttempts) return undefined;
    const delay = Math.min(this.options.firstDelayMs * 2 ** this.attempts, this.options.maxDelayMs);
    this.attempts += 1;
    return delay;
  }

  reset(): void {
    this.attempts = 0;
  }
}
