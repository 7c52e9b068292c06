import * as z from 'zod';

/*
 * The answer's schema as the provider sees it. Every field is required and optional values are nullable:
 * OpenAI's strict structured outputs accept nothing else, and a schema without length limits is one that
 * Anthropic's and the local servers' constrained decoders all take. Limits are applied after parsing.
 */

const sources = z
  .array(z.string())
  .describe('ids of the input messages this item comes from, such as "m12"; at least one');

const Item = z.object({
  text: z.string().describe('one item in one or two plain sentences'),
  sources,
});

const ActionItem = z.object({
  text: z.string().describe('what must be done'),
  owner: z
    .string()
    .nullable()
    .describe('the name of the person who will do it, as written in the conversation; null if nobody'),
  sources,
});

/** The structured summary the model must return. */
export const ModelSummary = z.object({
  title: z.string().describe('a short title naming the main topics'),
  overview: z.string().describe('the gist in plain prose'),
  keyPoints: z.array(Item).describe('what a member who missed the conversation needs to know'),
  decisions: z.array(Item).describe('what was decided or agreed'),
  actionItems: z.array(ActionItem).describe('tasks someone took on or was asked to do'),
  openQuestions: z.array(Item).describe('questions still unanswered at the end of the conversation'),
});
export type ModelSummary = z.infer<typeof ModelSummary>;
export type ModelItem = z.infer<typeof Item>;
export type ModelActionItem = z.infer<typeof ActionItem>;

/** The schema's name where a provider asks for one (OpenAI's `json_schema.name`). */
export const SCHEMA_NAME = 'channel_summary';
