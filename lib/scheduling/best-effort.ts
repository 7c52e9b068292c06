/** Runs a clean-up step whose failure must not hide the error being thrown: a failure goes to `warn`. */
export async function bestEffort(
  warn: (message: string, error: unknown) => void,
  what: string,
  action: () => Promise<void>,
): Promise<void> {
  try {
    await action();
  } catch (error) {
    warn(`best-effort clean-up failed: ${what}`, error);
  }
}
