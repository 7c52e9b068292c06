import type { SummaryFocus } from '../tasks/summary-options.ts';

/** The list sections every summary has, whatever its focus. */
export type ListSection = 'keyPoints' | 'decisions' | 'actionItems' | 'openQuestions';

/** How one reader focus words a digest: who it is for, each section's heading and what each holds. */
export interface FocusWording {
  /** One sentence for an LLM: who reads this digest and what they look for. */
  reader: string;
  headings: Record<ListSection, string>;
  /** What each section holds for this reader (told to an LLM); absent where the schema's own words fit. */
  holds?: Record<ListSection, string>;
}

const GENERAL_HEADINGS: Record<ListSection, string> = {
  keyPoints: 'Key points',
  decisions: 'Decisions',
  actionItems: 'Action items',
  openQuestions: 'Open questions',
};

/**
 * Per focus. Support, moderation and community read a channel for something else than its decisions: a
 * helper wants what was solved and who still waits for help, a moderator the reports and what was done
 * about them, a community manager the events, news and who volunteered.
 */
export const FOCUS_WORDING: Record<SummaryFocus, FocusWording> = {
  general: { reader: 'Write for everyone in the channel.', headings: GENERAL_HEADINGS },
  developer: {
    reader: 'Write for developers: favour code, errors, pull requests, releases and technical decisions.',
    headings: GENERAL_HEADINGS,
  },
  executive: {
    reader: 'Write for managers: favour decisions, dates, numbers, risks and owners; skip technical detail.',
    headings: GENERAL_HEADINGS,
  },
  support: {
    reader:
      'Write for the support team: favour problems members reported, what fixed them, and who is still waiting for help.',
    headings: {
      keyPoints: 'Solved',
      decisions: 'Decisions',
      actionItems: 'Follow-ups',
      openQuestions: 'Still waiting for help',
    },
    holds: {
      keyPoints: 'each problem a member had that got an answer or fix, said as problem and fix',
      decisions: 'what was decided about the product, the docs or the way help is given',
      actionItems: 'what a helper or member said they would do next (reproduce, file a bug, send logs)',
      openQuestions:
        'help requests and problems nobody answered or fixed by the end, saying what the problem is',
    },
  },
  moderation: {
    reader:
      'Write for the moderators: favour reports, rule breaks, conflicts, and what the moderators did or decided about them.',
    headings: {
      keyPoints: 'Reports and incidents',
      decisions: 'Rulings and actions taken',
      actionItems: 'For the mod team',
      openQuestions: 'Unresolved',
    },
    holds: {
      keyPoints: 'reports, rule breaks, spam, conflicts and other incidents, with who was involved',
      decisions: 'what moderators decided or did (warnings, timeouts, bans, deletions, rule changes)',
      actionItems: 'what a moderator took on (review, follow up with a member, change a rule)',
      openQuestions: 'reports and moderation questions nobody settled by the end',
    },
  },
  community: {
    reader:
      'Write for the community team: favour events, announcements, milestones, feedback from members and who volunteered.',
    headings: {
      keyPoints: 'Highlights',
      decisions: 'Plans',
      actionItems: 'Volunteers',
      openQuestions: 'Questions for the community',
    },
    holds: {
      keyPoints: 'events, announcements, milestones, and feedback or ideas members shared',
      decisions: 'plans the community agreed on (dates, places, formats)',
      actionItems: 'who volunteered or was asked to do something for the community, and what',
      openQuestions: 'questions to the community that are still open (polls, ideas, dates to settle)',
    },
  },
};

/** The headings of the list sections, for a summary of this focus (general when absent). */
export function sectionHeadings(focus: SummaryFocus | undefined): Record<ListSection, string> {
  return FOCUS_WORDING[focus ?? 'general'].headings;
}

/** The focus a summary records: only one whose sections read differently from the general digest. */
export function recordedFocus(focus: SummaryFocus | undefined): { focus?: SummaryFocus } {
  return focus && FOCUS_WORDING[focus].headings !== GENERAL_HEADINGS ? { focus } : {};
}
