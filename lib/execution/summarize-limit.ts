import type { CommonConfig } from '../config.ts';
import { LimitError } from '../errors.ts';
import type { Clock } from '../shared/clock.ts';
import type { ExecutorInput, ExecutorInvoker } from './executor-input.ts';

/**
 * Recent uses per key in a sliding window, shared by every process (on AWS every Lambda container), so a
 * limit holds however requests are spread.
 */
export interface UseWindowStore {
  /**
   * Records a use at `now` under (`guildId`, `key`) when fewer than `limit` uses happened in the `windowMs`
   * before it; otherwise records nothing and says when the oldest of them leaves the window.
   */
  tryUse(
    guildId: string,
    key: string,
    limit: number,
    windowMs: number,
    now: Date,
  ): Promise<{ allowed: true } | { allowed: false; retryAt: Date }>;
}

/** `/summarize` requests per minute, for one member and for one server (issue #11, item 6). */
export interface SummarizeLimits {
  perMember: number;
  perServer: number;
}

/** The limits a runtime's validated configuration sets. */
export function summarizeLimitsOf(
  config: Pick<CommonConfig, 'SUMMARIZE_PER_MEMBER_PER_MINUTE' | 'SUMMARIZE_PER_SERVER_PER_MINUTE'>,
): SummarizeLimits {
  return {
    perMember: config.SUMMARIZE_PER_MEMBER_PER_MINUTE,
    perServer: config.SUMMARIZE_PER_SERVER_PER_MINUTE,
  };
}

const WINDOW_MS = 60_000;

/**
 * The executor invoker with `/summarize` limited per member and per server: an ad hoc run over the limit
 * is refused with a LimitError before anything is invoked (the interaction gets it as a private reply);
 * scheduled and manual runs pass through. The member's window is checked first, so a member over their own
 * limit does not use up the server's.
 */
export function limitSummarize(
  invoker: ExecutorInvoker,
  deps: { store: UseWindowStore; limits: SummarizeLimits; clock: Clock },
): ExecutorInvoker {
  return {
    async invoke(input: ExecutorInput): Promise<void> {
      if (input.type === 'adhoc') await checkSummarize(input.guildId, input.requestedBy, deps);
      await invoker.invoke(input);
    },
  };
}

async function checkSummarize(
  guildId: string,
  memberId: string,
  deps: { store: UseWindowStore; limits: SummarizeLimits; clock: Clock },
): Promise<void> {
  const now = deps.clock.now();
  const { perMember, perServer } = deps.limits;
  const member = await deps.store.tryUse(guildId, `summarize#member#${memberId}`, perMember, WINDOW_MS, now);
  if (!member.allowed) {
    throw new LimitError(
      'SUMMARIZE_PER_MEMBER_PER_MINUTE',
      `You can ask for ${perMember} ${plural(perMember)} a minute; try again ${inSeconds(member.retryAt, now)}. Whoever runs the bot can raise this with SUMMARIZE_PER_MEMBER_PER_MINUTE (CDK context summarizePerMemberPerMinute).`,
    );
  }
  const server = await deps.store.tryUse(guildId, 'summarize#server', perServer, WINDOW_MS, now);
  if (!server.allowed) {
    throw new LimitError(
      'SUMMARIZE_PER_SERVER_PER_MINUTE',
      `This server can ask for ${perServer} ${plural(perServer)} a minute, all members together; try again ${inSeconds(server.retryAt, now)}. Whoever runs the bot can raise this with SUMMARIZE_PER_SERVER_PER_MINUTE (CDK context summarizePerServerPerMinute).`,
    );
  }
}

function plural(n: number): string {
  return n === 1 ? 'summary' : 'summaries';
}

function inSeconds(at: Date, now: Date): string {
  const seconds = Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
  return `in ${seconds} second${seconds === 1 ? '' : 's'}`;
}
