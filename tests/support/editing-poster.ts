import type { LateReplyPoster } from '../../lib/discord/late-reply.ts';

/**
 * A late-reply poster for handlers whose commands all defer privately: their late replies are edits, so a
 * deletion or follow-up is a failure of the test's premise and is thrown.
 */
export function editingPoster(edit: LateReplyPoster['editOriginalResponse']): LateReplyPoster {
  const unexpected = (what: string) => async (): Promise<never> => {
    throw new Error(`unexpected ${what}: these commands defer privately, so their late replies are edits`);
  };
  return {
    editOriginalResponse: edit,
    deleteOriginalResponse: unexpected('deletion of the reply'),
    followUp: unexpected('follow-up'),
  };
}
