/**
 * `summary-bot doctor [--stage <stage>] [--guild <id>] [--channel <id>] [--url <url>]`: checks that a
 * deployment works end to end and prints one line per check with the fix for each failure.
 */
import { parseArgs } from 'node:util';

const USAGE = `usage: summary-bot doctor [--stage <stage>] [--guild <id>] [--channel <id>] [--url <url>]

  Checks a deployment and prints one line per check (✓ passed, ✗ failed with the fix, ! works with a
  limit, – not checked here): the Discord credentials, the bot token, the application id and public key,
  the Interactions Endpoint URL, that the endpoint refuses an unsigned request, the slash commands, the
  Message Content intent, the schedule group, drift between tasks and schedules, the dead-letter queue,
  the Bedrock model and the SES sender when they are used. It changes nothing.

  --stage <stage>   the stack SummaryBot-<stage> in your AWS account (AWS CLI credentials and Region);
                    without it, the local runtime (.env, and the running npm start)
  --guild <id>      check the commands registered in this server instead of the global ones
  --channel <id>    also check that the bot can view this channel and read its history
  --url <url>       local runtime: the public URL Discord posts to (your tunnel's .../interactions)

Exit status: 0 every check passed, 1 a check failed, 2 bad input.
`;

const SNOWFLAKE = /^\d{17,20}$/;
const STAGE = /^[a-z][a-z0-9-]{0,20}$/;

/** Entry point of the `doctor` command; returns the exit status. */
export async function run(args: string[]): Promise<number> {
  let values: { stage?: string; guild?: string; channel?: string; url?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        stage: { type: 'string' },
        guild: { type: 'string' },
        channel: { type: 'string' },
        url: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`doctor: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const problem =
    (values.stage !== undefined &&
      !STAGE.test(values.stage) &&
      '--stage: expected a lowercase stage name, such as prod') ||
    (values.guild !== undefined &&
      !SNOWFLAKE.test(values.guild) &&
      '--guild: expected a server id (17 to 20 digits)') ||
    (values.channel !== undefined &&
      !SNOWFLAKE.test(values.channel) &&
      '--channel: expected a channel id (17 to 20 digits)') ||
    (values.url !== undefined &&
      !/^https?:\/\/\S+$/.test(values.url) &&
      '--url: expected the http(s) URL Discord posts to') ||
    (values.url !== undefined &&
      values.stage !== undefined &&
      '--url is for the local runtime; a stage uses its Function URL');
  if (problem) {
    process.stderr.write(`doctor: ${problem}\n`);
    return 2;
  }
  // Loaded once the arguments are good: `--help` must not wait for the AWS SDK to load.
  const { doctor } = await import('../../lib/doctor/doctor.ts');
  const { exitCode, output } = await doctor({
    env: process.env,
    ...(values.stage ? { stage: values.stage } : {}),
    ...(values.guild ? { guildId: values.guild } : {}),
    ...(values.channel ? { channelId: values.channel } : {}),
    ...(values.url ? { url: values.url } : {}),
  });
  process.stdout.write(output);
  return exitCode;
}
