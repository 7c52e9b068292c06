/** `pass` ✓, `fail` ✗ (with the fix), `warn` ! (works, with a limit worth knowing), `skip` – (not checked). */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** One printed line: what was checked, and for a failure what to do. */
export interface CheckLine {
  status: CheckStatus;
  text: string;
  fix?: string;
}

export interface DoctorOptions {
  /** Check the commands registered in this guild rather than the global ones. */
  guildId?: string;
  /** Check that the bot can view this channel and read its history. */
  channelId?: string;
  /** The code's command definitions (what `register-commands` registers). */
  definitions: readonly unknown[];
  /** For the permission math (time-outs); the wall clock. */
  now: Date;
}

/** A check that passed. */
export const pass = (text: string): CheckLine => ({ status: 'pass', text });
/** A check that failed, with what to do. */
export const fail = (text: string, fix: string): CheckLine => ({ status: 'fail', text, fix });
/** A check not made (a prerequisite failed, or it does not apply). */
export const skip = (text: string): CheckLine => ({ status: 'skip', text });

/** An error's message, for a line. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
