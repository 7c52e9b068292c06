/**
 * Waits for something a running bot does in its own time (a run finishing, a line in its output), by
 * polling. The limit only turns a hang into a failure that says what was awaited: it is generous, not a
 * claim about how fast the bot is.
 */

/** Polls `check` every 100 ms until it gives a value other than `undefined` or `false`, and returns it. */
export async function until<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 90_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
