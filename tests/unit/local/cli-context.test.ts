import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/errors.ts';
import { openCliContext } from '../../../lib/local/cli-context.ts';

const AWS = {
  TASK_TABLE_NAME: 'summary-bot-prod-tasks',
  SCHEDULE_GROUP_NAME: 'summary-bot-prod',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
  EXECUTOR_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:executor',
  DEAD_LETTER_QUEUE_ARN: 'arn:aws:sqs:eu-west-1:123456789012:dead-letters',
  AWS_REGION: 'eu-west-1',
};

describe('openCliContext', () => {
  it('works on AWS when the table is named, without the Discord secret the Lambdas need', async () => {
    const context = await openCliContext(AWS);
    expect(context.where).toBe('DynamoDB table summary-bot-prod-tasks, schedule group summary-bot-prod');
    await context.close();
  });

  it('names the missing variable when the AWS settings are incomplete', async () => {
    const { SCHEDULE_GROUP_NAME: _missing, ...partial } = AWS;
    const error = await openCliContext(partial).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('SCHEDULE_GROUP_NAME');
  });
});
