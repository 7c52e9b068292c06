import { Duration, Validations } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { StackConfig } from '../config.ts';
import { type BotFunctions, dataRemovalPolicy } from './bot-functions.ts';
import { acknowledgeWildcardResource } from './nag.ts';

/** The bucket `file` destinations write summaries to: private, encrypted, TLS only, files expire. */
export class SummariesBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: { config: StackConfig; functions: BotFunctions }) {
    super(scope, id);
    const days = props.config.summariesRetentionDays;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        ...(days > 0 ? [{ id: 'expire-summaries', expiration: Duration.days(days) }] : []),
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: dataRemovalPolicy(props.config),
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only the executor writes here and nothing reads through public paths (public access is blocked); ' +
        'server access logs would need a second bucket that costs more than the summaries it watches. ' +
        'CloudTrail data events can be enabled if an audit trail is required.',
    });
    props.functions.addEnvironment('SUMMARIES_BUCKET', this.bucket.bucketName);
  }

  /** Writes summary files (PutObject only: nothing the bot does reads or deletes them). */
  grantWrite(grantee: IGrantable): void {
    const objects = this.bucket.arnForObjects('*');
    Grant.addToPrincipal({ grantee, actions: ['s3:PutObject'], resourceArns: [objects] });
    if (Construct.isConstruct(grantee.grantPrincipal)) {
      acknowledgeWildcardResource(
        grantee.grantPrincipal,
        objects,
        "Object keys come from each file destination's path at run time; the grant is PutObject only, in this bucket only.",
      );
    }
  }
}
