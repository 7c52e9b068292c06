import { commands } from '../discord/commands/index.ts';
import { allPassed, type CheckLine, runDoctor } from './checks.ts';
import { type DoctorTarget, ProbeError } from './ports.ts';
import { formatReport } from './report.ts';
import { openLocalTarget, openStageTarget, stackNameFor } from './targets.ts';

export interface DoctorRequest {
  env: NodeJS.ProcessEnv;
  /** A deployed stage; without it, the local runtime. */
  stage?: string;
  guildId?: string;
  channelId?: string;
  /** Local runtime: the public URL the portal should hold. */
  url?: string;
  now?: Date;
}

/**
 * `summary-bot doctor` without the terminal: opens the target, runs the checks, formats the report.
 * Exit code 0 only when no check failed.
 */
export async function doctor(
  request: DoctorRequest,
): Promise<{ exitCode: number; output: string; lines: CheckLine[] }> {
  let target: DoctorTarget;
  try {
    target = request.stage
      ? await openStageTarget(request.stage, request.env)
      : await openLocalTarget(request.env, request.url ? { url: request.url } : {});
  } catch (error) {
    if (!(error instanceof ProbeError) || !request.stage) throw error;
    const stack = stackNameFor(request.stage);
    const line: CheckLine = {
      status: 'fail',
      text: `Stack ${stack} cannot be read: ${error.message}`,
      fix:
        error.kind === 'not_found'
          ? `deploy it (npx cdk deploy -c stage=${request.stage}), or set AWS_REGION to the Region it is in`
          : 'sign in with the AWS CLI (aws sts get-caller-identity) in the account and Region of the stack',
    };
    return { exitCode: 1, output: formatReport(`stack ${stack}`, [line]), lines: [line] };
  }
  try {
    const lines = await runDoctor(target, {
      definitions: commands,
      now: request.now ?? new Date(),
      ...(request.guildId ? { guildId: request.guildId } : {}),
      ...(request.channelId ? { channelId: request.channelId } : {}),
    });
    return { exitCode: allPassed(lines) ? 0 : 1, output: formatReport(target.where, lines), lines };
  } finally {
    await target.close();
  }
}
