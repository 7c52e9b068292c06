// Long because it is sample data: SESSIONS, the sample conversation, is most of the file; the code that
// places it in time is the last 50 lines.
import { nextRuns } from '../../tasks/next-runs.ts';
import { expressionOf } from '../../tasks/schedule-spec.ts';
import { SummaryOptions } from '../../tasks/summary-options.ts';

/**
 * The sandbox's sample conversation, a few days of the Lantern community (sample-server.ts puts it on the
 * sample server), and where in time its first use places it: around `sampleAnchor`.
 */

/** Who says a line: a key of SAMPLE_MEMBERS (sample-server.ts). */
export type Who = 'ana' | 'ben' | 'chloe' | 'dmitri' | 'eli';
/** Where a line is said: a key of SAMPLE_CHANNELS (sample-server.ts). */
export type Where = 'general' | 'dev' | 'random' | 'releaseThread' | 'mods' | 'admins';
type Line = [Where, Who, string];

/** One day's conversation: it ends `endHoursAgo` hours before the anchor (negative: after it). */
export interface Session {
  endHoursAgo: number;
  /** The sample day: the decisions the quick start's first digest must report (see `sampleAnchor`). */
  sampleDay?: true;
  lines: Line[];
}

/**
 * The README's quick start: `/schedule create daily … time:09:00 timezone:Europe/Berlin`, whose first run is
 * the first digest a newcomer reads. Its README line must say the same (tests/e2e/quick-start.test.ts).
 */
export const QUICK_START_DIGEST = { time: '09:00', timeZone: 'Europe/Berlin' } as const;

export const SESSIONS: readonly Session[] = [
  // The moderators' own channel: what a digest posted to a public channel must never show.
  {
    endHoursAgo: 3,
    lines: [
      [
        'mods',
        'ben',
        'Heads-up: the account "photo_deals_4u" is posting the same link in every channel. Banning it.',
      ],
      [
        'mods',
        'dmitri',
        'Agreed. I also got a DM from someone asking for the admin password of the demo server.',
      ],
      ['mods', 'ben', 'Same person, I think. Banned, and I reported both to Discord.'],
      ['mods', 'ana', 'Thanks both. Let us keep the ban list in the pinned message here, not in #general.'],
      [
        'admins',
        'ana',
        'Rotated the demo server admin password and the backup encryption key; the new ones are in the vault.',
      ],
    ],
  },
  {
    endHoursAgo: 74,
    lines: [
      [
        'general',
        'eli',
        'Weekly forum report: 46 new threads, most about installs on Synology and the new face clustering.',
      ],
      ['general', 'ana', 'Thanks Eli. Anything we should fix before the release rather than after?'],
      [
        'general',
        'eli',
        'The Synology guide is outdated, it still mentions the old port 2283. Several people got stuck there.',
      ],
      ['general', 'chloe', 'I can update the Synology guide, I have a test NAS at home.'],
      [
        'general',
        'ana',
        'Great, Chloé takes the Synology guide. Next: the release date. Friday works for everyone?',
      ],
      ['general', 'dmitri', 'Friday is fine, I am around all day for the docker images.'],
      ['general', 'ben', 'Friday works if the HEIC issue does not get worse. I will look at it tomorrow.'],
      [
        'dev',
        'ben',
        'Merged the new metadata extractor, it reads XMP sidecars now: https://github.com/lantern-photos/lantern/pull/1862',
      ],
      ['dev', 'dmitri', 'Nice. Is the old extractor still used anywhere?'],
      ['dev', 'ben', 'Only in the import CLI, I will switch it over next week.'],
      [
        'random',
        'chloe',
        'Anyone have a favourite tool for screenshots with annotations? Writing docs all week.',
      ],
      ['random', 'dmitri', 'Flameshot on Linux, Shottr on macOS.'],
      ['random', 'chloe', 'Shottr it is, thanks!'],
    ],
  },
  {
    endHoursAgo: 50,
    lines: [
      ['general', 'ana', 'Morning all! Release week for Lantern 2.4 starts today. Plan is to tag on Friday.'],
      [
        'general',
        'eli',
        'Exciting. Do we have a changelog draft somewhere I can start turning into a blog post?',
      ],
      [
        'general',
        'ana',
        'Draft lives at https://github.com/lantern-photos/lantern/blob/main/CHANGELOG.md, the 2.4 section is still rough.',
      ],
      [
        'dev',
        'ben',
        'The upload integration tests failed 3 times overnight, always in test_resumable_upload_large_file.',
      ],
      [
        'dev',
        'dmitri',
        'Looked at the runner logs: the job hits the 10 minute timeout while the MinIO container is still starting.',
      ],
      [
        'dev',
        'ben',
        'So it is the container start, not our code? That would explain why it only fails on the shared runners.',
      ],
      ['dev', 'dmitri', 'Pretty sure. I can add a readiness check and pull the image in a cached step.'],
      ['dev', 'ana', 'Please do, a flaky suite in release week is the worst. Dmitri takes the CI fix.'],
      [
        'general',
        'chloe',
        'Question for everyone: should the new onboarding guide assume Docker Compose, or also cover bare metal?',
      ],
      ['general', 'ben', 'Compose first. Bare metal people usually read the reference docs anyway.'],
      [
        'general',
        'eli',
        'From the forum: about 80% of new installs are Compose, the rest is mostly the Unraid template.',
      ],
      [
        'general',
        'chloe',
        'OK, Compose first, with a short section that links to Unraid. I will write it this week.',
      ],
      ['random', 'dmitri', 'Anyone else going to the self-hosting meetup in Lisbon next month?'],
      ['random', 'eli', 'I am! We could bring stickers, the new logo ones arrived.'],
      [
        'random',
        'ana',
        'Stickers yes. I can give a 10 minute lightning talk about the face clustering work if they have a slot.',
      ],
      [
        'dev',
        'ben',
        'Separate topic: HEIC thumbnails come out rotated for photos from some iPhones. Issue https://github.com/lantern-photos/lantern/issues/1873',
      ],
      [
        'dev',
        'chloe',
        'I can reproduce with photos from my iPhone 13, the EXIF orientation seems to be ignored for HEIC only.',
      ],
      [
        'dev',
        'ben',
        'libheif returns the image already rotated, and then we rotate it again from EXIF. Double rotation.',
      ],
      ['dev', 'ana', 'Is that a blocker for 2.4? It is a regression from 2.3 so I would say yes.'],
      ['dev', 'ben', 'Agreed, it is a regression. I will take it, the fix should be small.'],
      [
        'general',
        'ana',
        'Summary of today: CI flakiness is the MinIO start (Dmitri), HEIC rotation is a 2.4 blocker (Ben), onboarding guide is Compose first (Chloé).',
      ],
    ],
  },
  {
    endHoursAgo: 26,
    lines: [
      [
        'dev',
        'dmitri',
        'CI fix is up: https://github.com/lantern-photos/lantern/pull/1880 adds a health check and caches the MinIO image.',
      ],
      ['dev', 'ben', 'Reviewed, one comment about the retry loop, otherwise looks good.'],
      ['dev', 'dmitri', 'Addressed. 20 green runs in a row on the branch, I think we can call it fixed.'],
      ['dev', 'ana', 'Merged. Thank you Dmitri!'],
      [
        'releaseThread',
        'ana',
        'Release checklist for 2.4, tick things off here: changelog, migration notes, docker tags, blog post, forum announcement.',
      ],
      [
        'releaseThread',
        'dmitri',
        'Docker tags: the multi-arch build works, arm64 image is 40 MB smaller than 2.3.',
      ],
      [
        'releaseThread',
        'eli',
        'Blog post draft is at https://hackmd.io/@lantern/release-2-4 if anyone wants to comment.',
      ],
      ['releaseThread', 'ana', 'Migration notes: do we need anything for the Postgres 16 upgrade?'],
      [
        'dev',
        'ben',
        'About Postgres 16: our migrations run fine on it, but pg_trgm needs to be re-created after a pg_upgrade.',
      ],
      ['dev', 'ana', 'Can the app do that on start, or does it have to be a manual step?'],
      [
        'dev',
        'ben',
        'The app can run CREATE EXTENSION IF NOT EXISTS on start, but only with a superuser, which most people do not give it.',
      ],
      ['dev', 'dmitri', 'Then it has to be a documented manual step, with the exact command.'],
      [
        'dev',
        'ana',
        'Decision: Postgres 16 is supported in 2.4, with a documented manual step for pg_trgm. Chloé, can you add it to the upgrade notes?',
      ],
      ['dev', 'chloe', 'Yes, I will add it to the upgrade notes today.'],
      [
        'general',
        'eli',
        'Forum question that keeps coming up: can I share an album with someone who has no account?',
      ],
      [
        'general',
        'ana',
        'Public share links are planned but not for 2.4, the permission model needs more work.',
      ],
      [
        'general',
        'ben',
        'We decided last month to postpone sharing to 2.5, right? I want to make sure nobody promises it.',
      ],
      ['general', 'ana', 'Right, sharing is 2.5. Eli, can you pin an answer on the forum?'],
      ['general', 'eli', 'Will do, I will write a short FAQ entry and pin it.'],
      [
        'random',
        'chloe',
        'Made a new set of empty-state illustrations for the albums page, feedback welcome: https://www.figma.com/file/lantern-empty-states',
      ],
      ['random', 'ben', 'The one with the lighthouse is lovely.'],
      ['random', 'dmitri', 'Agreed, the lighthouse one. The others feel a bit busy on small screens.'],
      [
        'dev',
        'ben',
        'HEIC fix is in review: https://github.com/lantern-photos/lantern/pull/1884. We now trust libheif and skip the EXIF rotation for HEIC.',
      ],
      [
        'dev',
        'chloe',
        'Tested with my iPhone photos, all correct now. Also tested JPEG from the same phone, still fine.',
      ],
      ['dev', 'ana', 'Great. Who can test Android HEIF files? Samsung writes them differently I think.'],
      ['dev', 'dmitri', 'I have a Galaxy, I will test tonight.'],
    ],
  },
  {
    endHoursAgo: 0.2,
    sampleDay: true,
    lines: [
      [
        'dev',
        'dmitri',
        'Tested the HEIC fix with Samsung HEIF files: orientation correct in all 12 samples.',
      ],
      ['dev', 'ben', 'Then I will merge it. That was the last blocker on the list.'],
      [
        'releaseThread',
        'chloe',
        'Upgrade notes now include the pg_trgm step: https://docs.lantern.photos/upgrade/2.4#postgres-16',
      ],
      ['releaseThread', 'ana', 'Changelog is final. Remaining: docker tags and the announcement.'],
      ['releaseThread', 'dmitri', 'I will push the docker tags right after the git tag on Friday.'],
      [
        'general',
        'ana',
        'Status: all 2.4 blockers are fixed. Release candidate goes out tomorrow, final release Friday if nothing shows up.',
      ],
      [
        'general',
        'eli',
        'Should we do a community call after the release? Last time about 40 people joined.',
      ],
      ['general', 'ana', 'Yes, let us do Thursday next week, 17:00 UTC. Eli, can you send the invite?'],
      ['general', 'eli', 'On it, I will post the invite on the forum and here by tomorrow.'],
      [
        'general',
        'chloe',
        'Open question: do we keep supporting the old mobile upload API in 2.4, or remove it as announced?',
      ],
      [
        'general',
        'ben',
        'The mobile app still uses it for background uploads on Android. Removing it now would break people.',
      ],
      [
        'general',
        'ana',
        'Then we keep it in 2.4 and remove it in 2.5. I will update the deprecation notice.',
      ],
      ['dev', 'ben', 'Heads up: the RC build takes 25 minutes because of the arm64 emulation. Any ideas?'],
      [
        'dev',
        'dmitri',
        'We could use the native arm64 runners, they are free for public repos now. I will try it on a branch.',
      ],
      ['dev', 'ana', 'Worth it. Is there a risk for the release timing?'],
      [
        'dev',
        'dmitri',
        'No, if it does not work we keep the current build. Worst case the RC takes 25 minutes.',
      ],
      ['random', 'eli', 'The Lisbon meetup confirmed a lightning talk slot for Ana!'],
      ['random', 'ana', 'Oh nice. I will need slides then, anyone wants to help with the diagrams?'],
      ['random', 'chloe', 'Happy to help with the diagrams, send me the outline.'],
      [
        'general',
        'dmitri',
        'Does anyone know if the Unraid template needs an update for the new environment variables?',
      ],
      [
        'general',
        'eli',
        'It does, LANTERN_TRASH_DAYS is new. The template maintainer is on the forum, I will ping them.',
      ],
      [
        'dev',
        'ben',
        'Last thing for today: I will write the release candidate announcement tonight, Ana can you review it in the morning?',
      ],
      ['dev', 'ana', 'Yes, I will review it first thing tomorrow.'],
    ],
  },
  {
    endHoursAgo: -22,
    lines: [
      [
        'releaseThread',
        'ana',
        'Release candidate 2.4.0-rc.1 is tagged: https://github.com/lantern-photos/lantern/releases/tag/v2.4.0-rc.1',
      ],
      [
        'releaseThread',
        'dmitri',
        'Docker images for the RC are pushed, amd64 and arm64. The native arm64 runner cut the build to 9 minutes.',
      ],
      [
        'general',
        'ana',
        'The 2.4 release candidate is out, please try it on a copy of your library and report problems in #dev.',
      ],
      ['general', 'eli', 'Community call invite is on the forum: Thursday 17:00 UTC, agenda in the post.'],
      [
        'dev',
        'chloe',
        'Found something on the RC: the trash page shows the wrong retention when LANTERN_TRASH_DAYS is unset.',
      ],
      ['dev', 'ben', 'The default is read as 0 instead of 30. My mistake, I will fix it in the next hour.'],
      ['dev', 'ana', 'Is that serious? Does anything get deleted early?'],
      [
        'dev',
        'ben',
        'No, only the label is wrong, the cleanup job uses the correct default. Still worth fixing before final.',
      ],
      ['dev', 'ana', 'Agreed, fix goes into rc.2. Anything else people saw?'],
      [
        'dev',
        'dmitri',
        'Upgrade from 2.3 with Postgres 16 worked on my test server, including the pg_trgm step from the notes.',
      ],
      ['general', 'eli', 'Question from the forum: will 2.4 still run on a Raspberry Pi 3?'],
      [
        'general',
        'dmitri',
        'It runs, but face clustering is very slow on a Pi 3. We recommend a Pi 4 with 4 GB or more.',
      ],
      ['general', 'chloe', 'I will add that to the hardware requirements page.'],
      [
        'random',
        'ben',
        'Finally finished the kitchen shelves this weekend, photo library is now 3 TB of sawdust pictures.',
      ],
      ['random', 'eli', 'Lantern as a woodworking journal, we should put that in the use cases.'],
      ['dev', 'ben', 'Trash label fix is merged: https://github.com/lantern-photos/lantern/pull/1891'],
      ['releaseThread', 'ana', 'rc.2 tomorrow with the trash label fix, final still on Friday.'],
      [
        'general',
        'chloe',
        'New onboarding guide is live: https://docs.lantern.photos/start/compose. Feedback welcome.',
      ],
      ['general', 'ben', 'Read it, very clear. Should the backup section come before the first import?'],
      [
        'general',
        'chloe',
        'Good point, people import first and think about backups later. I will move it up.',
      ],
      [
        'general',
        'eli',
        'Someone on the forum asks whether the RC can read a 2.3 backup. Does anyone know for sure?',
      ],
      ['general', 'dmitri', 'Yes, I restored a 2.3 backup into the RC yesterday, no problems.'],
      [
        'general',
        'ana',
        'Decision: the upgrade notes will say backups from 2.3 restore fine into 2.4. Chloé, can you add a line?',
      ],
      ['general', 'chloe', 'Added.'],
      ['general', 'eli', 'Still open: do we want a release livestream this time, or only the blog post?'],
      [
        'general',
        'ana',
        'Blog post only, we keep the energy for the community call. Eli, please update the forum post.',
      ],
    ],
  },
  {
    endHoursAgo: -46,
    lines: [
      ['releaseThread', 'ana', 'rc.2 is tagged and the images are pushed. No new issues overnight.'],
      [
        'general',
        'ana',
        'Lantern 2.4 final is planned for tomorrow. Thanks everyone who tested the release candidates!',
      ],
      ['general', 'eli', 'Blog post and forum announcement are scheduled for tomorrow at 15:00 UTC.'],
      ['general', 'ben', 'Should we mention the old mobile upload API removal in the announcement?'],
      ['general', 'ana', 'Yes, in the "coming in 2.5" section, together with album sharing.'],
      [
        'dev',
        'dmitri',
        'Proposal: after the release we move all CI jobs to the native arm64 runners where possible.',
      ],
      ['dev', 'ben', 'Fine with me. Can we keep one amd64 job for the integration tests?'],
      ['dev', 'dmitri', 'Yes, integration tests stay on amd64. I will open an issue with the plan.'],
      [
        'dev',
        'chloe',
        'Open question for 2.5: who owns the permission model for sharing? It needs a design doc first.',
      ],
      ['dev', 'ana', 'I will draft the design doc next week and we discuss it at the community call.'],
      [
        'random',
        'chloe',
        'The slides for the Lisbon talk have diagrams now, Ana have a look: https://slides.lantern.photos/lisbon',
      ],
      ['random', 'ana', 'They look great, thank you Chloé!'],
    ],
  },
];

/** Minutes between consecutive messages of a session: uneven, like people typing. */
const GAPS = [3, 7, 2, 11, 4, 6, 1, 9, 5, 3, 14, 2];

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** The instants of a session's messages, in order, for an anchor. */
export function sessionTimes(session: Session, anchorMs: number): number[] {
  const total = session.lines.reduce((sum, _line, i) => sum + (GAPS[i % GAPS.length] ?? 1), 0);
  let at = anchorMs - session.endHoursAgo * HOUR_MS - total * MINUTE_MS;
  return session.lines.map((_line, i) => {
    at += (GAPS[i % GAPS.length] ?? 1) * MINUTE_MS;
    return at;
  });
}

/** How far back a task's first run reads with the default options (the quick start's task sets none). */
const FIRST_RUN_LOOKBACK = SummaryOptions.parse({}).lookback;
const FIRST_RUN_HOURS =
  FIRST_RUN_LOOKBACK.mode === 'fixed' ? FIRST_RUN_LOOKBACK.hours : FIRST_RUN_LOOKBACK.initialHours;

/**
 * The instant the sandbox's first use (`start`: the newcomer's first command, see sampleConversationOnce)
 * places the sample conversation around. It is that instant itself (the sample day ended minutes ago) unless that would put the sample day's first message before the window of the quick
 * start's first digest (the 24 hours before the first 09:00 Europe/Berlin): a first use in the hours after
 * that run would give a newcomer's first digest the day after instead. Then the anchor moves just far enough for
 * the whole sample day to fall in the window: it is still to come, at most about three hours ahead, and
 * appears as the clock moves (`clock advance 1d` included), before the digest reads it.
 */
export function sampleAnchor(start: Date): Date {
  const firstRun = nextRuns(
    expressionOf({ type: 'daily', time: QUICK_START_DIGEST.time }),
    QUICK_START_DIGEST.timeZone,
    start,
    1,
  )[0];
  const sampleDay = SESSIONS.find((session) => session.sampleDay);
  if (!firstRun || !sampleDay) return start;
  const windowOpens = firstRun.getTime() - FIRST_RUN_HOURS * HOUR_MS;
  const firstMessage = sessionTimes(sampleDay, start.getTime())[0] ?? start.getTime();
  // A minute inside the window, so a run that reads from an exclusive start still finds the first message.
  const late = windowOpens + MINUTE_MS - firstMessage;
  return late > 0 ? new Date(start.getTime() + late) : start;
}
