import { type CheckLine, type DoctorOptions, skip } from './check-line.ts';
import { checkCredentials, checkUnsignedRequest, discordChecks } from './discord-checks.ts';
import type { DoctorTarget } from './ports.ts';
import { checkDeadLetters, checkDrift, checkMail, checkModel, checkScheduleGroup } from './runtime-checks.ts';

/**
 * The checks of `summary-bot doctor`, in the order an admin sets a deployment up: credentials, the
 * Discord application, the endpoint, the commands, the intent and a channel, then the AWS side. Each
 * check is a small function over the target's ports that returns lines; nothing here writes anything.
 */

export type { CheckLine, CheckStatus, DoctorOptions } from './check-line.ts';

/** Runs every check and returns its lines in order; a failing prerequisite skips what depends on it. */
export async function runDoctor(target: DoctorTarget, options: DoctorOptions): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  const credentials = await checkCredentials(target);
  lines.push(credentials.line);
  if (credentials.value) lines.push(...(await discordChecks(target, credentials.value, options)));
  else
    lines.push(
      skip('Discord application, endpoint and commands: not checked until the credentials are fixed'),
    );
  lines.push(await checkUnsignedRequest(target));
  lines.push(await checkScheduleGroup(target));
  lines.push(await checkDrift(target));
  lines.push(await checkDeadLetters(target));
  lines.push(...(await checkModel(target)));
  lines.push(...(await checkMail(target)));
  return lines;
}

/** True when no line failed: the exit status is 0 only then. */
export function allPassed(lines: readonly CheckLine[]): boolean {
  return lines.every((line) => line.status !== 'fail');
}
