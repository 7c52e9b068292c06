import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';

export type LogAttributes = Record<string, unknown>;

/** Structured logging the core depends on; Powertools in both runtimes, an in-memory one in tests. */
export interface Logger {
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
  /** A logger whose every line also carries `attributes` (task, guild, run ids). */
  child(attributes: LogAttributes): Logger;
}

// Keys whose values are never written, wherever they appear in a log line.
const SECRET_KEY = /token|secret|password|authorization|signature|private|credential|botToken/i;

/** Replaces secret-looking values (by key) and errors (by their safe fields) before anything is logged. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (value instanceof Error) {
    return {
      name: value.name,
      message: value.message,
      ...(value.cause !== undefined ? { cause: redact(value.cause, depth + 1) } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value))
      out[key] = SECRET_KEY.test(key) ? '[redacted]' : redact(v, depth + 1);
    return out;
  }
  return value;
}

class PowertoolsAdapter implements Logger {
  constructor(
    private readonly logger: PowertoolsLogger,
    private readonly attributes: LogAttributes = {},
  ) {}
  private attrs(extra?: LogAttributes): LogAttributes {
    return redact({ ...this.attributes, ...extra }) as LogAttributes;
  }
  debug(message: string, attributes?: LogAttributes): void {
    this.logger.debug(message, this.attrs(attributes));
  }
  info(message: string, attributes?: LogAttributes): void {
    this.logger.info(message, this.attrs(attributes));
  }
  warn(message: string, attributes?: LogAttributes): void {
    this.logger.warn(message, this.attrs(attributes));
  }
  error(message: string, attributes?: LogAttributes): void {
    this.logger.error(message, this.attrs(attributes));
  }
  child(attributes: LogAttributes): Logger {
    return new PowertoolsAdapter(this.logger, { ...this.attributes, ...attributes });
  }
}

/** A JSON logger (Powertools) for a service such as `executor` or `interactions`. */
export function createLogger(
  serviceName: string,
  level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' = 'INFO',
): Logger {
  return new PowertoolsAdapter(new PowertoolsLogger({ serviceName, logLevel: level }));
}

export interface CapturedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  attributes: LogAttributes;
}

/** Keeps every line in memory (redacted like the real one), so tests can read and search what was logged. */
export class MemoryLogger implements Logger {
  constructor(
    readonly lines: CapturedLine[] = [],
    private readonly attributes: LogAttributes = {},
  ) {}
  private push(level: CapturedLine['level'], message: string, attributes?: LogAttributes): void {
    this.lines.push({
      level,
      message,
      attributes: redact({ ...this.attributes, ...attributes }) as LogAttributes,
    });
  }
  debug(message: string, attributes?: LogAttributes): void {
    this.push('debug', message, attributes);
  }
  info(message: string, attributes?: LogAttributes): void {
    this.push('info', message, attributes);
  }
  warn(message: string, attributes?: LogAttributes): void {
    this.push('warn', message, attributes);
  }
  error(message: string, attributes?: LogAttributes): void {
    this.push('error', message, attributes);
  }
  child(attributes: LogAttributes): Logger {
    return new MemoryLogger(this.lines, { ...this.attributes, ...attributes });
  }
  /** Everything logged, as one string: for "the secret never appears" assertions. */
  text(): string {
    return JSON.stringify(this.lines);
  }
}

/** Discards everything: for benchmarks and tools that print their own output. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};
