import { rawTimeZones } from '@vvo/tzdb';
import { distance } from 'fastest-levenshtein';
import { ValidationError } from '../../errors.ts';
import { canonicalTimeZone, isValidTimeZone } from '../../tasks/time-zone.ts';
import { fixedOffsetZone, formatOffset } from '../../tasks/zone-label.ts';
import { echo } from './echo.ts';

/**
 * Time zones as admins type them: IANA names in any case (`europe/berlin`), cities (`Munich`, `new york`),
 * countries (`Germany`), zone names (`Central European Time`), abbreviations (`EST`, `CET`) and offsets
 * (`UTC+2`). City, country and zone names come from @vvo/tzdb (the IANA groups with their main cities and
 * country); what the runtime's Intl does not know is left out, so every answer is a zone EventBridge and
 * the evaluator both accept.
 */

/** A zone understood, with a note to show when the admin should know how it was read. */
export interface ZoneAnswer {
  zone: string;
  note?: string;
}

/**
 * Abbreviations people use for a place's clock. `offset` is what the abbreviation means (minutes east of
 * UTC); `place` is the zone whose clock it names. Abbreviations are ambiguous (IST, CST) and fixed, so the
 * place is what we suggest; which place each one means is our choice, the most common reading.
 */
const ABBREVIATIONS: Record<string, { offset: number; place: string }> = {
  EST: { offset: -300, place: 'America/New_York' },
  EDT: { offset: -240, place: 'America/New_York' },
  CST: { offset: -360, place: 'America/Chicago' },
  CDT: { offset: -300, place: 'America/Chicago' },
  MST: { offset: -420, place: 'America/Denver' },
  MDT: { offset: -360, place: 'America/Denver' },
  PST: { offset: -480, place: 'America/Los_Angeles' },
  PDT: { offset: -420, place: 'America/Los_Angeles' },
  AKST: { offset: -540, place: 'America/Anchorage' },
  AKDT: { offset: -480, place: 'America/Anchorage' },
  HST: { offset: -600, place: 'Pacific/Honolulu' },
  AST: { offset: -240, place: 'America/Halifax' },
  ADT: { offset: -180, place: 'America/Halifax' },
  GMT: { offset: 0, place: 'Europe/London' },
  BST: { offset: 60, place: 'Europe/London' },
  WET: { offset: 0, place: 'Europe/Lisbon' },
  WEST: { offset: 60, place: 'Europe/Lisbon' },
  CET: { offset: 60, place: 'Europe/Berlin' },
  CEST: { offset: 120, place: 'Europe/Berlin' },
  MET: { offset: 60, place: 'Europe/Berlin' },
  MEST: { offset: 120, place: 'Europe/Berlin' },
  EET: { offset: 120, place: 'Europe/Athens' },
  EEST: { offset: 180, place: 'Europe/Athens' },
  MSK: { offset: 180, place: 'Europe/Moscow' },
  IST: { offset: 330, place: 'Asia/Kolkata' },
  PKT: { offset: 300, place: 'Asia/Karachi' },
  ICT: { offset: 420, place: 'Asia/Bangkok' },
  WIB: { offset: 420, place: 'Asia/Jakarta' },
  HKT: { offset: 480, place: 'Asia/Hong_Kong' },
  SGT: { offset: 480, place: 'Asia/Singapore' },
  AWST: { offset: 480, place: 'Australia/Perth' },
  JST: { offset: 540, place: 'Asia/Tokyo' },
  KST: { offset: 540, place: 'Asia/Seoul' },
  ACST: { offset: 570, place: 'Australia/Adelaide' },
  ACDT: { offset: 630, place: 'Australia/Adelaide' },
  AEST: { offset: 600, place: 'Australia/Sydney' },
  AEDT: { offset: 660, place: 'Australia/Sydney' },
  NZST: { offset: 720, place: 'Pacific/Auckland' },
  NZDT: { offset: 780, place: 'Pacific/Auckland' },
  SAST: { offset: 120, place: 'Africa/Johannesburg' },
  CAT: { offset: 120, place: 'Africa/Maputo' },
  EAT: { offset: 180, place: 'Africa/Nairobi' },
  WAT: { offset: 60, place: 'Africa/Lagos' },
};

/** Well-known zones, in the order we suggest them for a bare offset such as `UTC+2`. */
const SUGGESTED_PLACES = [
  'Europe/London',
  'Europe/Berlin',
  'Europe/Athens',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Halifax',
  'America/Anchorage',
  'America/Sao_Paulo',
  'America/Santiago',
  'Africa/Cairo',
  'Asia/Jerusalem',
  'Europe/Moscow',
  'Asia/Tehran',
  'Asia/Dubai',
  'Asia/Karachi',
  'Asia/Kolkata',
  'Asia/Dhaka',
  'Asia/Bangkok',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Australia/Adelaide',
  'Australia/Sydney',
  'Pacific/Auckland',
  'Pacific/Honolulu',
  'Atlantic/Azores',
  'America/Noronha',
  'Pacific/Pago_Pago',
  'Pacific/Kiritimati',
  'Pacific/Tongatapu',
  'Asia/Kamchatka',
];

const UTC_WORDS = new Set(['UTC', 'Z', 'ZULU', 'UCT', 'UNIVERSAL', 'ETC/UTC', 'COORDINATEDUNIVERSALTIME']);

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The UTC offset of `zone` at `instant`, in minutes east of UTC. */
export function offsetMinutesAt(zone: string, instant: Date): number {
  let format = offsetFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' });
    offsetFormats.set(zone, format);
  }
  const name = format.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(name);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/** The offsets a zone takes over the year from `now`: one when it keeps no daylight saving. */
function yearOffsets(zone: string, now: Date): number[] {
  const seen = new Set<number>();
  for (let month = 0; month < 12; month += 1) {
    seen.add(offsetMinutesAt(zone, new Date(now.getTime() + month * 30.5 * 86_400_000)));
  }
  return [...seen].sort((a, b) => a - b);
}

/** "America/New_York (UTC-5, UTC-4 in summer)": the place and how its clock moves. */
function placeWithOffsets(zone: string, now: Date): string {
  const offsets = yearOffsets(zone, now);
  const [standard, daylight] = offsets;
  if (standard === undefined) return zone;
  if (daylight === undefined) return `${zone} (${formatOffset(standard)} all year)`;
  return `${zone} (${formatOffset(standard)}, ${formatOffset(daylight)} with daylight saving)`;
}

function fixedOffsetAnswer(
  option: string,
  raw: string,
  offset: number,
  now: Date,
  place?: string,
): ZoneAnswer {
  if (place) {
    const offsets = yearOffsets(place, now);
    if (offsets.length === 1 && offsets[0] === offset) {
      // JST, IST: the place never changes its clock, so the place itself is the exact answer.
      return { zone: place, note: `${echo(raw)} was read as ${placeWithOffsets(place, now)}.` };
    }
  }
  const places = place
    ? [place]
    : SUGGESTED_PLACES.filter((p) => yearOffsets(p, now).includes(offset))
        .sort((a, b) => yearOffsets(b, now).length - yearOffsets(a, now).length)
        .slice(0, 2);
  const suggestion = places.map((p) => placeWithOffsets(p, now)).join(' or ');
  // `UTC+2` says its offset already; `EST` and `Etc/GMT+5` (sign inverted) get it spelled out.
  const typed =
    normalizeZoneText(raw) === normalizeZoneText(formatOffset(offset))
      ? echo(raw)
      : `${echo(raw)} (${formatOffset(offset)})`;
  const zone = fixedOffsetZone(offset);
  if (!zone) {
    throw new ValidationError(
      option,
      `${typed} has no fixed-offset zone; name the place instead${suggestion ? `, for example ${suggestion}` : ''}`,
    );
  }
  return {
    zone,
    note:
      `${typed} is a fixed offset: it never changes for daylight saving, so for part of the year summaries ` +
      'run an hour off clocks that do.' +
      (suggestion ? ` To follow daylight saving, use ${suggestion}.` : ''),
  };
}

interface IndexEntry {
  key: string;
  zone: string;
  /** Exact IANA names rank first among equally close matches. */
  rank: number;
}

let index: { entries: IndexEntry[]; byKey: Map<string, Set<string>> } | undefined;

/** Lower case, no accents, `_ / - .` as spaces: `Europe/Köln_x` is `europe koln x`. */
export function normalizeZoneText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[_/\-.,()]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function zoneIndex() {
  if (index) return index;
  const entries: IndexEntry[] = [];
  const add = (text: string, zone: string, rank: number) => {
    const key = normalizeZoneText(text);
    if (key) entries.push({ key, zone, rank });
  };
  const covered = new Set<string>();
  for (const group of rawTimeZones) {
    const zone = [group.name, ...group.group].find(isValidTimeZone);
    if (!zone) continue;
    add(zone, zone, 0);
    add(zone.slice(zone.lastIndexOf('/') + 1), zone, 1);
    // Older and alternative names of the same clock (Europe/Kiev, Asia/Calcutta) lead to it too.
    for (const member of group.group) {
      covered.add(member);
      if (member === zone || !member.includes('/') || !isValidTimeZone(member)) continue;
      add(member, zone, 0);
      add(member.slice(member.lastIndexOf('/') + 1), zone, 1);
    }
    for (const city of group.mainCities) add(city, zone, 1);
    add(group.countryName, zone, 2);
    add(group.alternativeName, zone, 3);
  }
  for (const zone of Intl.supportedValuesOf('timeZone')) {
    if (covered.has(zone) || !zone.includes('/')) continue;
    add(zone, zone, 0);
    add(zone.slice(zone.lastIndexOf('/') + 1), zone, 1);
  }
  const byKey = new Map<string, Set<string>>();
  for (const entry of entries) {
    const set = byKey.get(entry.key) ?? new Set<string>();
    set.add(entry.zone);
    byKey.set(entry.key, set);
  }
  index = { entries, byKey };
  return index;
}

/** The closest zones to what was typed, best first (edit distance over names, cities and countries). */
export function closestTimeZones(raw: string, limit = 3): string[] {
  const query = normalizeZoneText(raw);
  if (!query) return [];
  const allowed = Math.min(3, Math.max(1, Math.floor(query.length / 4)));
  const scored = new Map<string, number>();
  for (const entry of zoneIndex().entries) {
    if (Math.abs(entry.key.length - query.length) > allowed) continue;
    const d = distance(query, entry.key);
    if (d > allowed) continue;
    const score = d * 10 + entry.rank;
    const best = scored.get(entry.zone);
    if (best === undefined || score < best) scored.set(entry.zone, score);
  }
  return [...scored.entries()]
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([zone]) => zone);
}

/** Zones for autocomplete: exact and prefix matches of names, cities and countries, then close spellings. */
export function searchTimeZones(query: string, limit = 25): string[] {
  const q = normalizeZoneText(query);
  if (!q)
    return ['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo'];
  const found = new Map<string, number>();
  for (const entry of zoneIndex().entries) {
    const score = entry.key === q ? 0 : entry.key.startsWith(q) ? 1 : entry.key.includes(q) ? 2 : -1;
    if (score < 0) continue;
    const weighted = score * 10 + entry.rank;
    const best = found.get(entry.zone);
    if (best === undefined || weighted < best) found.set(entry.zone, weighted);
  }
  if ('utc'.startsWith(q)) found.set('UTC', -1);
  const ranked = [...found.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([z]) => z);
  for (const zone of closestTimeZones(query, 5)) if (!ranked.includes(zone)) ranked.push(zone);
  return ranked.slice(0, limit);
}

/**
 * Resolves what an admin typed into a zone, or throws a `ValidationError` on `option` that repeats the input
 * and suggests the closest zones ("did you mean Europe/Berlin?"). A fixed offset (`EST`, `UTC+2`) is
 * accepted with a note that it never follows daylight saving and the place that does; `now` picks the
 * offsets shown in that note.
 */
export function resolveTimeZone(option: string, raw: string, now: Date): ZoneAnswer {
  const text = raw.trim();
  const compact = text.toUpperCase().replace(/\s+/g, '');
  if (!text) throw new ValidationError(option, 'expected a time zone, for example Europe/Berlin');
  if (UTC_WORDS.has(compact)) return { zone: 'UTC' };
  const offset = /^(?:UTC|GMT)?([+\-−])(\d{1,2})(?::?(\d{2}))?$/.exec(compact);
  if (offset && (offset[1] !== '' || /^(UTC|GMT)/.test(compact))) {
    const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
    if (Number(offset[3] ?? 0) > 59 || minutes > 14 * 60) {
      throw new ValidationError(option, `${echo(raw)} is not a UTC offset; offsets go from UTC-12 to UTC+14`);
    }
    const signed = offset[1] === '+' ? minutes : -minutes;
    if (signed === 0) return { zone: 'UTC' };
    return fixedOffsetAnswer(option, raw, signed, now);
  }
  const etc = /^ETC\/GMT([+-])(\d{1,2})$/.exec(compact);
  if (etc) {
    // POSIX sign: Etc/GMT+5 is five hours behind UTC.
    const hours = Number(etc[2]);
    return fixedOffsetAnswer(option, raw, etc[1] === '+' ? -hours * 60 : hours * 60, now);
  }
  const abbreviation = ABBREVIATIONS[compact];
  if (abbreviation) return fixedOffsetAnswer(option, raw, abbreviation.offset, now, abbreviation.place);

  const asName = text.replace(/\s+/g, '_');
  if (asName.includes('/') && isValidTimeZone(asName)) return { zone: canonicalTimeZone(asName) };

  const exact = zoneIndex().byKey.get(normalizeZoneText(text));
  if (exact && exact.size === 1) {
    const [zone] = [...exact] as [string];
    return { zone, note: `${echo(raw)} was read as ${zone}.` };
  }
  if (exact && exact.size > 1) {
    const zones = [...exact];
    const shown = zones.slice(0, 6).join(', ');
    throw new ValidationError(
      option,
      `${echo(raw)} has ${zones.length} time zones: ${shown}${zones.length > 6 ? ', …' : ''}; pick the one for your place (type a city to narrow the list)`,
    );
  }
  if (isValidTimeZone(asName)) return { zone: canonicalTimeZone(asName) };
  const close = closestTimeZones(text);
  if (close.length > 0) {
    throw new ValidationError(
      option,
      `${echo(raw)} is not a time zone I know. Did you mean ${close.join(' or ')}?`,
    );
  }
  throw new ValidationError(
    option,
    `${echo(raw)} is not a time zone, city or country I know; type a city (Berlin), a country (Germany) or a zone (Europe/Berlin) and pick one from the list`,
  );
}
