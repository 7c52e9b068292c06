/**
 * A value built on first use and kept for the life of the process (a Lambda container): clients and
 * config are built once, and not at import, so tests import a handler without AWS config. A promise that
 * rejects is forgotten, so a failed build (a secret not readable yet) is retried by the next call.
 */
export function lazy<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    if (built) return built.value;
    const value = build();
    const entry = { value };
    built = entry;
    if (value instanceof Promise) {
      value.catch(() => {
        if (built === entry) built = undefined;
      });
    }
    return value;
  };
}
