import { plural } from '../shared/words.ts';
import { type CheckLine, fail, messageOf, pass, skip } from './check-line.ts';
import { type DoctorTarget, isNotApplicable, type ModelProbe, ProbeError } from './ports.ts';

/** The runtime side of `summary-bot doctor`: the schedule group and its drift, dead letters, the model and mail. */

/** The schedule group exists and can be read. */
export async function checkScheduleGroup(target: DoctorTarget): Promise<CheckLine> {
  const group = target.scheduleGroup;
  if (isNotApplicable(group)) return skip(`Schedule group: ${group.notApplicable}`);
  try {
    return (await group.exists())
      ? pass(`Schedule group ${group.name} exists`)
      : fail(
          `Schedule group ${group.name} does not exist: no task can run`,
          'deploy the stack again (npx cdk deploy with the same settings)',
        );
  } catch (error) {
    return fail(`Schedule group ${group.name}: ${messageOf(error)}`, 'check your AWS credentials and Region');
  }
}

/** The task table and the schedule group agree (what reconcile would repair). */
export async function checkDrift(target: DoctorTarget): Promise<CheckLine> {
  try {
    const report = await target.drift();
    const found = [
      report.recreated.length > 0 && `${plural(report.recreated.length, 'missing schedule')}`,
      report.deletedOrphans.length > 0 && `${plural(report.deletedOrphans.length, 'orphan schedule')}`,
      report.stateFixed.length > 0 && `${plural(report.stateFixed.length, 'schedule')} in the wrong state`,
      report.removedPending.length > 0 && `${plural(report.removedPending.length, 'abandoned pending task')}`,
    ].filter(Boolean);
    return found.length === 0
      ? pass('Reconcile finds no drift between the tasks and the schedules')
      : fail(`Reconcile would repair: ${found.join(', ')}`, `run ${target.reconcileCommand}`);
  } catch (error) {
    return fail(
      `Reconcile: cannot compare tasks and schedules: ${messageOf(error)}`,
      'check your AWS credentials and Region',
    );
  }
}

/** Nothing waits in the dead-letter queue. */
export async function checkDeadLetters(target: DoctorTarget): Promise<CheckLine> {
  const queue = target.deadLetters;
  if (isNotApplicable(queue)) return skip(`Dead-letter queue: ${queue.notApplicable}`);
  try {
    const depth = await queue.depth();
    return depth === 0
      ? pass(`Dead-letter queue ${queue.name} is empty`)
      : fail(
          `Dead-letter queue ${queue.name} holds ${plural(depth, 'message')}: the dead-letter handler is not keeping up or fails`,
          "read the dead-letters function's log group; messages it cannot record stay for 14 days",
        );
  } catch (error) {
    return fail(
      `Dead-letter queue ${queue.name}: ${messageOf(error)}`,
      'check your AWS credentials and Region',
    );
  }
}

/** The configured summarizer model answers. */
export async function checkModel(target: DoctorTarget): Promise<CheckLine[]> {
  const model = target.model;
  if (isNotApplicable(model)) return [skip(`Bedrock model: ${model.notApplicable}`)];
  try {
    await model.answerOneToken();
  } catch (error) {
    const kind = error instanceof ProbeError ? error.kind : 'other';
    const fix =
      kind === 'forbidden'
        ? 'the account has no access yet: submit the Anthropic use-case form and invoke the model once as an administrator (DEPLOY.md step 3)'
        : kind === 'invalid'
          ? 'call the model through an inference profile: set bedrockModelId to its global. (or us., eu., apac.) id'
          : kind === 'not_found'
            ? 'the model id is unknown in this Region: check bedrockModelId against the Bedrock model catalog'
            : 'try again in a moment';
    return [fail(`Bedrock model ${model.modelId} does not answer: ${messageOf(error)}`, fix)];
  }
  return [pass(`Bedrock model ${model.modelId} answers`), await checkLifecycle(model)];
}

/** A Legacy model still answers, until its end-of-life date: worth a warning, not a failure. */
async function checkLifecycle(model: ModelProbe): Promise<CheckLine> {
  try {
    const lifecycle = await model.lifecycle();
    if (!lifecycle) return skip(`Bedrock model ${model.modelId}: its lifecycle is not listed in this Region`);
    if (lifecycle.status !== 'LEGACY')
      return pass(
        `Bedrock model ${model.modelId} is ${lifecycle.status === 'ACTIVE' ? 'Active' : lifecycle.status} on Bedrock`,
      );
    const end = lifecycle.endOfLifeTime ? `, end of life ${lifecycle.endOfLifeTime}` : '';
    return {
      status: 'warn',
      text: `Bedrock model ${model.modelId} is Legacy on Bedrock${end}: it stops answering then`,
      fix: 'move bedrockModelId to an Active model of the Bedrock model catalog (its inference profile id)',
    };
  } catch (error) {
    return skip(`Bedrock model ${model.modelId}: its lifecycle could not be read (${messageOf(error)})`);
  }
}

/** E-mail destinations can be sent (SES identity and account). */
export async function checkMail(target: DoctorTarget): Promise<CheckLine[]> {
  const mail = target.mail;
  if (isNotApplicable(mail)) return [skip(`Amazon SES: ${mail.notApplicable}`)];
  const lines: CheckLine[] = [];
  try {
    const sender = await mail.senderVerified();
    lines.push(
      sender.verified
        ? pass(`SES sender ${mail.from} is verified (identity ${sender.identity})`)
        : fail(
            `SES sender ${mail.from} is not verified in ${mail.region}: every e-mail destination fails`,
            `aws sesv2 create-email-identity --email-identity ${mail.from} --region ${mail.region}, then click the link AWS mails (DEPLOY.md step 4)`,
          ),
    );
  } catch (error) {
    lines.push(fail(`SES sender ${mail.from}: ${messageOf(error)}`, 'check your AWS credentials and Region'));
  }
  try {
    lines.push(
      (await mail.productionAccess())
        ? pass(`SES account in ${mail.region} is out of the sandbox`)
        : {
            status: 'warn',
            text: `SES account in ${mail.region} is in the sandbox: it delivers only to verified addresses, at most 200 a day`,
            fix: 'to mail anyone, request production access (DEPLOY.md step 4.2)',
          },
    );
  } catch (error) {
    lines.push(fail(`SES account: ${messageOf(error)}`, 'check your AWS credentials and Region'));
  }
  return lines;
}
