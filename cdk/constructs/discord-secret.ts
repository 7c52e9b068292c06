import { SecretValue, Validations } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StackConfig } from '../config.ts';
import { type BotFunctions, dataRemovalPolicy } from './bot-functions.ts';

/** The secret's keys (lib/aws/discord-secret.ts validates them when a function reads it). */
const PLACEHOLDER = { botToken: '', publicKey: '', applicationId: '' };

/**
 * The Discord credentials `{ botToken, publicKey, applicationId }` in Secrets Manager. Created holding
 * empty placeholders (the deploy guide's one `put-secret-value` command fills it), or imported by name.
 */
export class DiscordSecret extends Construct {
  readonly secret: secretsmanager.ISecret;
  /** The secret's name, for the fill command. */
  readonly secretName: string;

  constructor(scope: Construct, id: string, props: { config: StackConfig; functions: BotFunctions }) {
    super(scope, id);
    const { config } = props;
    if (config.discordSecretName) {
      this.secretName = config.discordSecretName;
      this.secret = secretsmanager.Secret.fromSecretNameV2(this, 'Secret', config.discordSecretName);
      // An imported-by-name secret has no full ARN here; GetSecretValue accepts the name.
      props.functions.addEnvironment('DISCORD_SECRET_ARN', config.discordSecretName);
      return;
    }
    this.secretName = `summary-bot/${config.stage}/discord`;
    const secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: this.secretName,
      description: 'Discord bot token, public key and application id of Summary Bot',
      // Placeholders, not secrets: no value ever passes through the template or the CDK app.
      secretObjectValue: Object.fromEntries(
        Object.entries(PLACEHOLDER).map(([key, value]) => [key, SecretValue.unsafePlainText(value)]),
      ),
      removalPolicy: dataRemovalPolicy(config),
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Discord issues the bot token: it can only be reset in the Developer Portal, so no rotation Lambda can ' +
        'rotate it. Reset the token there and run the put-secret-value command of docs/DEPLOY.md.',
    });
    this.secret = secret;
    props.functions.addEnvironment('DISCORD_SECRET_ARN', secret.secretArn);
  }

  /** Reads the secret's value (functions cache it once per container). */
  grantRead(grantee: IGrantable): void {
    this.secret.grantRead(grantee);
  }
}
