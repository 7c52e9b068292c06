/**
 * The Bedrock model a deployed stack uses unless `-c bedrockModelId` says otherwise (it reaches the
 * functions as SUMMARIZER_MODEL): Claude Haiku 4.5 through its global cross-Region
 * inference profile. Checked against the Bedrock model catalogue (model card "Claude Haiku 4.5": model
 * lifecycle Active; geographic `us.`/`eu.`/… and global inference ids listed for on-demand use). Claude
 * 3.5 Haiku, the first default, is Legacy with an end-of-life date of 19 June 2026. A profile id rather
 * than the bare model id: newer Claude models answer on-demand calls only through an inference profile,
 * and the global one can be called from every commercial Region, so the default works wherever the stack
 * is deployed. Requests may then be served in any Region; pick a `us.`, `eu.` or `apac.` profile
 * (`bedrockModelId`) to keep them in one geography.
 */
export const DEFAULT_BEDROCK_MODEL_ID = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
