import type { ChannelLike } from '../discord/guild-reads.ts';
import type { GuildLike, GuildMemberLike } from '../discord/permissions.ts';
import type { ReconcileReport } from '../scheduling/reconcile.ts';

/**
 * What `summary-bot doctor` reads, as ports: each deployment (a CloudFormation stack, or the local
 * runtime) provides them from its own adapters, and the checks (checks.ts) only see these interfaces.
 */

/** How an outside call failed, as far as a check's advice depends on it. */
export type ProbeFailureKind =
  /** The credentials were refused (Discord 401). */
  | 'unauthorized'
  /** Authenticated but not allowed (Discord 403, AWS AccessDenied). */
  | 'forbidden'
  | 'not_found'
  /** The request was refused as malformed or unsupported (AWS ValidationException). */
  | 'invalid'
  /** No answer: network, DNS, timeout. */
  | 'unreachable'
  | 'other';

/** An outside call of a probe failed; `message` is safe to print (never a secret). */
export class ProbeError extends Error {
  override readonly name = 'ProbeError';
  readonly kind: ProbeFailureKind;

  constructor(kind: ProbeFailureKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

/** Where the Discord credentials come from: the stack's secret, or the local environment. */
export interface CredentialSource {
  /** For messages: `secret summary-bot/prod/discord`, `DISCORD_* in the environment or .env`. */
  label: string;
  /** How to fill or correct it, printed after a failure. */
  howToFill: string;
  /** The stored value as it is (unknown: the check validates it); ProbeError when it cannot be read. */
  read(): Promise<unknown>;
}

/** The Developer Portal's view of the application (`GET /applications/@me`). */
export interface DiscordApplication {
  id: string;
  /** The public key, hex. */
  verifyKey: string;
  interactionsEndpointUrl: string | null;
  /** Application flags (MESSAGE_CONTENT intent bits among them). */
  flags: number;
}

/** Discord's REST API with the bot token. Every method throws ProbeError on failure. */
export interface DiscordProbe {
  /** `GET /users/@me`. */
  currentUser(): Promise<{ id: string; username: string; bot: boolean }>;
  /** `GET /applications/@me`. */
  application(): Promise<DiscordApplication>;
  /** The registered commands, globally or in one guild, as Discord returns them. */
  commands(applicationId: string, guildId?: string): Promise<unknown[]>;
  channel(channelId: string): Promise<ChannelLike>;
  guild(guildId: string): Promise<GuildLike>;
  /** The guild member with this user id (the bot itself). */
  member(guildId: string, userId: string): Promise<GuildMemberLike>;
}

/** A part of the deployment that a runtime does not have, with the reason printed in its place. */
export interface NotApplicable {
  notApplicable: string;
}

/** The interactions endpoint: where Discord should post, and how to knock on it. */
export interface EndpointProbe {
  /** What the portal's Interactions Endpoint URL must be; NotApplicable when this runtime cannot know. */
  expectedUrl: string | NotApplicable;
  /** Where to send the unsigned request; NotApplicable when nothing listens (with what to do). */
  probeUrl: string | NotApplicable;
  /** POSTs a PING without a signature; resolves with the HTTP status. ProbeError('unreachable') on no answer. */
  postUnsigned(url: string): Promise<number>;
}

export interface ScheduleGroupProbe {
  name: string;
  /** False when the group does not exist. */
  exists(): Promise<boolean>;
}

export interface DeadLetterProbe {
  name: string;
  /** Messages in the queue, visible or in flight. */
  depth(): Promise<number>;
}

/** A model's state in the Bedrock catalogue (`GetFoundationModel`'s `modelLifecycle`). */
export interface ModelLifecycle {
  /** `ACTIVE` or `LEGACY`. */
  status: string;
  /** ISO dates Bedrock gives a Legacy model. */
  legacyTime?: string;
  endOfLifeTime?: string;
}

export interface ModelProbe {
  modelId: string;
  /** One Converse call answered with at most one token; ProbeError otherwise. */
  answerOneToken(): Promise<void>;
  /** The underlying foundation model's lifecycle; undefined when the catalogue here does not list it. */
  lifecycle(): Promise<ModelLifecycle | undefined>;
}

export interface MailProbe {
  from: string;
  region: string;
  /** Whether the sender (the address, or its domain) is verified for sending; false when SES knows neither. */
  senderVerified(): Promise<{ verified: boolean; identity: string }>;
  /** Whether the account may mail anyone (out of the sandbox) in this Region. */
  productionAccess(): Promise<boolean>;
}

/** Everything `doctor` checks in one deployment. */
export interface DoctorTarget {
  /** For the heading: `stack SummaryBot-prod (eu-west-1)`, `the local runtime (.data)`. */
  where: string;
  credentials: CredentialSource;
  discord(botToken: string): DiscordProbe;
  endpoint: EndpointProbe;
  scheduleGroup: ScheduleGroupProbe | NotApplicable;
  /** What a reconcile would repair now, without repairing it. */
  drift(): Promise<ReconcileReport>;
  /** How to repair drift here. */
  reconcileCommand: string;
  deadLetters: DeadLetterProbe | NotApplicable;
  model: ModelProbe | NotApplicable;
  mail: MailProbe | NotApplicable;
  close(): Promise<void>;
}

/** True for the parts a runtime does not have. */
export function isNotApplicable(value: unknown): value is NotApplicable {
  return typeof value === 'object' && value !== null && 'notApplicable' in value;
}
