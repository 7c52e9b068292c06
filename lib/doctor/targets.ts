import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { createDiscordRest } from '../discord/rest.ts';
import { ConfigError } from '../errors.ts';
import { openCliContext } from '../local/cli-context.ts';
import { findRunningBot } from '../local/control-client.ts';
import { importSigningKeys } from '../local/discord-signer.ts';
import { SandboxFile } from '../local/sandbox/sandbox-identity.ts';
import type { ReconcileReport } from '../scheduling/reconcile.ts';
import {
  bedrockModelProbe,
  createDoctorClients,
  deadLetterProbe,
  functionEnvironment,
  scheduleGroupProbe,
  secretCredentials,
  sesMailProbe,
  stackOutputs,
} from './aws-probes.ts';
import { RestDiscordProbe } from './discord-probe.ts';
import {
  type CredentialSource,
  type DoctorTarget,
  type ModelProbe,
  type NotApplicable,
  ProbeError,
} from './ports.ts';

/**
 * Builds the `DoctorTarget` of one deployment: a stack (everything read from its CloudFormation outputs
 * and its executor's configuration), or the local runtime (`.env`, and the running `npm start` when there
 * is one). Only composition: the checks live in checks.ts, the calls in the probes.
 */

/** Discord's answer to an unsigned request is awaited this long (a Lambda cold start included). */
const ENDPOINT_TIMEOUT_MS = 10_000;

/** The stack a stage deploys (cdk/create-app.ts names it so). */
export function stackNameFor(stage: string): string {
  return `SummaryBot-${stage}`;
}

const na = (reason: string): NotApplicable => ({ notApplicable: reason });

/** POSTs a PING with no signature headers and returns the status, as Discord's security checks do. */
export async function postUnsigned(url: string): Promise<number> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'summary-bot doctor' },
      body: JSON.stringify({ type: 1 }),
      signal: AbortSignal.timeout(ENDPOINT_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    throw new ProbeError('unreachable', error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}

/** What a reconcile of this environment's table and schedules would repair, without repairing. */
async function dryReconcile(env: NodeJS.ProcessEnv): Promise<ReconcileReport> {
  const context = await openCliContext(env);
  try {
    return await context.scheduler.reconcile({ dryRun: true });
  } finally {
    await context.close();
  }
}

/**
 * The target of a deployed stage. Throws ProbeError when the stack cannot be read (not deployed, another
 * Region, no credentials): nothing else can be checked then.
 */
export async function openStageTarget(
  stage: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DoctorTarget> {
  const clients = createDoctorClients();
  try {
    const stackName = stackNameFor(stage);
    const region = await clients.cloudFormation.config.region();
    const outputs = await stackOutputs(clients.cloudFormation, stackName);
    const output = (key: string): string => {
      const value = outputs[key];
      if (!value)
        throw new ProbeError(
          'not_found',
          `stack ${stackName} has no output ${key}: deploy this version (npx cdk deploy -c stage=${stage})`,
        );
      return value;
    };
    const secretName = output('DiscordSecretName');
    const interactionsUrl = output('InteractionsUrl');
    const cliEnv = {
      ...env,
      TASK_TABLE_NAME: output('TableName'),
      SCHEDULE_GROUP_NAME: output('ScheduleGroupName'),
      SCHEDULER_ROLE_ARN: output('SchedulerRoleArn'),
      EXECUTOR_FUNCTION_ARN: output('ExecutorFunctionArn'),
      DEAD_LETTER_QUEUE_ARN: output('DeadLetterQueueArn'),
    };
    // The summarizer, model and sender are the executor's settings: read them where they take effect.
    const executorEnv = await functionEnvironment(clients.lambda, cliEnv.EXECUTOR_FUNCTION_ARN).then(
      (vars) => ({ vars }),
      (error: unknown) => ({ error }),
    );
    const fill = `aws secretsmanager put-secret-value --secret-id ${secretName} --secret-string '{"botToken":"…","publicKey":"…","applicationId":"…"}' (DEPLOY.md step 7)`;
    return {
      where: `stack ${stackName} (${region})`,
      credentials: secretCredentials(clients.secrets, secretName, fill),
      // DISCORD_API_URL, as for register-commands: Discord's API unless a stand-in is named.
      discord: (token) =>
        new RestDiscordProbe({
          rest: createDiscordRest({ token, ...(env.DISCORD_API_URL ? { api: env.DISCORD_API_URL } : {}) }),
        }),
      endpoint: { expectedUrl: interactionsUrl, probeUrl: interactionsUrl, postUnsigned },
      scheduleGroup: scheduleGroupProbe(clients.scheduler, cliEnv.SCHEDULE_GROUP_NAME),
      drift: () => dryReconcile(cliEnv),
      reconcileCommand: 'npx summary-bot reconcile with the stack outputs exported (DEPLOY.md step 10)',
      deadLetters: deadLetterProbe(clients.sqs, output('DeadLetterQueueUrl')),
      model:
        'error' in executorEnv
          ? failingModel(executorEnv.error)
          : executorEnv.vars.SUMMARIZER === 'bedrock'
            ? modelOf(clients, executorEnv.vars.SUMMARIZER_MODEL)
            : na(`not used (summarizer ${executorEnv.vars.SUMMARIZER ?? 'extractive'})`),
      mail:
        'vars' in executorEnv && executorEnv.vars.SES_FROM_ADDRESS
          ? sesMailProbe(clients.ses, executorEnv.vars.SES_FROM_ADDRESS, region)
          : na('no sender configured (sesFromAddress), so e-mail destinations are refused'),
      async close() {
        clients.destroy();
      },
    };
  } catch (error) {
    clients.destroy();
    throw error;
  }
}

function modelOf(clients: ReturnType<typeof createDoctorClients>, modelId: string | undefined): ModelProbe {
  if (!modelId) return failingModel(new ProbeError('invalid', 'the executor has no SUMMARIZER_MODEL'));
  return bedrockModelProbe(clients.bedrock, clients.bedrockCatalog, modelId);
}

function failingModel(error: unknown): ModelProbe {
  return {
    modelId: '(unknown)',
    answerOneToken: () => Promise.reject(error),
    lifecycle: async () => undefined,
  };
}

/**
 * The target of the local runtime: the credentials of `.env` (or, with none, the running sandbox's
 * application), the running `npm start`'s endpoint, the local task data. `url` is the public URL the
 * portal should hold (a tunnel's), when the admin names it.
 */
export async function openLocalTarget(
  env: NodeJS.ProcessEnv,
  options: { url?: string } = {},
): Promise<DoctorTarget> {
  const dataDir = env.DATA_DIR || '.data';
  const running = await findRunningBot(dataDir).then(
    (bot) => bot.runtime,
    (error: unknown) => {
      // ConfigError: no bot runs with this data folder; the checks say what that leaves out.
      if (error instanceof ConfigError) return undefined;
      throw error;
    },
  );
  const ownCredentials = Boolean(
    env.DISCORD_APPLICATION_ID || env.DISCORD_PUBLIC_KEY || env.DISCORD_BOT_TOKEN,
  );
  const sandbox =
    !ownCredentials && running?.sandbox === true && running.discord ? running.discord : undefined;
  const credentials: CredentialSource = sandbox
    ? {
        label: "the sandbox's application",
        howToFill: `delete ${join(dataDir, 'sandbox.json')} and restart npm start`,
        read: async () => {
          const file = SandboxFile.parse(JSON.parse(await readFile(join(dataDir, 'sandbox.json'), 'utf8')));
          return {
            botToken: sandbox.token,
            applicationId: file.applicationId,
            publicKey: importSigningKeys(file.privateKey).publicKeyHex,
          };
        },
      }
    : {
        label: 'DISCORD_* in the environment or .env',
        howToFill: ownCredentials
          ? 'set DISCORD_APPLICATION_ID, DISCORD_PUBLIC_KEY and DISCORD_BOT_TOKEN from the Developer Portal in .env'
          : 'set DISCORD_APPLICATION_ID, DISCORD_PUBLIC_KEY and DISCORD_BOT_TOKEN in .env (README: Running it for your own server), or start the sandbox with npm start',
        read: async () => ({
          botToken: env.DISCORD_BOT_TOKEN ?? '',
          publicKey: env.DISCORD_PUBLIC_KEY ?? '',
          applicationId: env.DISCORD_APPLICATION_ID ?? '',
        }),
      };
  const api = sandbox?.api ?? env.DISCORD_API_URL;
  const ownUrl = running ? `${running.url}/interactions` : undefined;
  const summarizer = env.SUMMARIZER?.trim() || 'extractive';
  const bedrock =
    summarizer === 'bedrock' && env.SUMMARIZER_MODEL
      ? { runtime: new BedrockRuntimeClient({}), catalog: new BedrockClient({}) }
      : undefined;
  return {
    where: running
      ? `the local runtime (pid ${running.pid}, ${dataDir})`
      : `the local runtime (${dataDir}, not running)`,
    credentials,
    discord: (token) => new RestDiscordProbe({ rest: createDiscordRest({ token, ...(api ? { api } : {}) }) }),
    endpoint: {
      // The sandbox's portal is the stand-in, which points at this process; a real bot's is a tunnel URL.
      expectedUrl:
        options.url ??
        (sandbox && ownUrl ? ownUrl : na('pass --url https://<tunnel>/interactions to compare it')),
      probeUrl: options.url ?? ownUrl ?? na('start the bot with npm start (or pass --url)'),
      postUnsigned,
    },
    scheduleGroup: na('the local runtime schedules in-process'),
    drift: () => dryReconcile(env),
    reconcileCommand: 'npx summary-bot reconcile',
    deadLetters: na('the local runtime records dead letters on their tasks (status page)'),
    model:
      summarizer === 'bedrock'
        ? bedrock && env.SUMMARIZER_MODEL
          ? bedrockModelProbe(bedrock.runtime, bedrock.catalog, env.SUMMARIZER_MODEL)
          : failingModel(new ProbeError('invalid', 'SUMMARIZER_MODEL is not set'))
        : na(`not used (summarizer ${summarizer})`),
    mail: na(`the local runtime writes e-mails as .eml files under ${join(dataDir, 'outbox')}`),
    async close() {
      bedrock?.runtime.destroy();
      bedrock?.catalog.destroy();
    },
  };
}
