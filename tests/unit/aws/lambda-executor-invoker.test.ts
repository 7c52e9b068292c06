import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LambdaExecutorInvoker } from '../../../lib/aws/lambda-executor-invoker.ts';
import { ExecutorInput } from '../../../lib/execution/executor-input.ts';

const lambda = mockClient(LambdaClient);
afterEach(() => lambda.reset());
// Unit test files share a worker (isolate: false): leave the SDK client as the next file expects it.
afterAll(() => lambda.restore());

const EXECUTOR = 'arn:aws:lambda:eu-west-1:123456789012:function:executor';
const follower: ExecutorInput = {
  type: 'after',
  taskId: 'Weekly000001',
  guildId: '100000000000000001',
  upstream: { taskId: 'Daily0000001', scheduledTime: '2026-03-06T09:00:00.000Z' },
  attempt: 1,
};

describe('LambdaExecutorInvoker (how a run starts the tasks that follow it, after:)', () => {
  it("queues the follower as the executor's own asynchronous event, which the executor parses back as sent", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const invoker = new LambdaExecutorInvoker({ client: new LambdaClient({}), functionName: EXECUTOR });

    await invoker.invoke(follower);

    const [call] = lambda.commandCalls(InvokeCommand);
    expect(call?.args[0].input).toMatchObject({ FunctionName: EXECUTOR, InvocationType: 'Event' });
    const payload = JSON.parse(new TextDecoder().decode(call?.args[0].input.Payload as Uint8Array));
    expect(ExecutorInput.parse(payload)).toEqual(follower);
  });

  it('fails when Lambda does not accept the event, so the leading run is retried and starts it again', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });
    const invoker = new LambdaExecutorInvoker({ client: new LambdaClient({}), functionName: EXECUTOR });

    await expect(invoker.invoke(follower)).rejects.toThrow(
      `${EXECUTOR}: asynchronous invoke was not accepted (status 200)`,
    );
  });

  it('passes on a refused invoke (throttling, missing permission) with its cause', async () => {
    const denied = Object.assign(new Error('not authorized to perform: lambda:InvokeFunction'), {
      name: 'AccessDeniedException',
    });
    lambda.on(InvokeCommand).rejects(denied);
    const invoker = new LambdaExecutorInvoker({ client: new LambdaClient({}), functionName: EXECUTOR });

    await expect(invoker.invoke(follower)).rejects.toThrow('lambda:InvokeFunction');
  });
});
