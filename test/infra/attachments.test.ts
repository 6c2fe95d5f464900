import { beforeAll, describe, expect, it } from 'vitest';
import { REJECTED_TAG, UPLOAD_HEADERS } from '../../functions/adapters/s3/bucket-rules.ts';
import { RETENTION_DAYS } from '../../functions/core/retention.ts';
import { WORKFLOWS } from '../../infra/workflows.ts';
import { type Built, buildForTest, logicalIdOf, resourcesOf } from './support.ts';

/** The attachments bucket and what starts the check: settings as the issue asks, from the template. */
const ORIGINS = ['https://portal.test.example', 'https://lk.test.example'];

describe('attachments bucket', () => {
  let built: Built;
  let bucketId: string;
  let logsId: string;
  let bucket: Record<string, any>;
  let logs: Record<string, any>;
  let buckets: ReturnType<typeof resourcesOf>;

  beforeAll(() => {
    built = buildForTest({ context: { corsOrigins: ORIGINS } });
    buckets = resourcesOf(built.template, 'AWS::S3::Bucket');
    bucketId = logicalIdOf(built.stack, built.stack.attachments.bucket);
    logsId = logicalIdOf(built.stack, built.stack.attachments.accessLogs);
    bucket = buckets[bucketId]?.Properties ?? {};
    logs = buckets[logsId]?.Properties ?? {};
  });

  it('is the attachments bucket plus its access-log bucket, nothing else, both kept when the stack goes (no edge)', () => {
    expect(Object.keys(buckets).sort()).toEqual([bucketId, logsId].sort());
    for (const id of [bucketId, logsId]) {
      expect(buckets[id]?.DeletionPolicy).toBe('Retain');
      expect(buckets[id]?.UpdateReplacePolicy).toBe('Retain');
    }
    // Generated name: no file name, no fixed physical name to collide with.
    expect(bucket.BucketName).toBeUndefined();
  });

  it('is private: every public access blocked, ACLs disabled', () => {
    for (const props of [bucket, logs]) {
      expect(props.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
      expect(props.AccessControl).toBeUndefined();
    }
  });

  it('is encrypted at rest and refuses anything but TLS 1.2+', () => {
    const policies = Object.values(resourcesOf(built.template, 'AWS::S3::BucketPolicy'));
    // Files under the data key (customer managed); server access logs can only go to an SSE-S3 bucket.
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: { 'Fn::GetAtt': [logicalIdOf(built.stack, built.stack.dataKey.key), 'Arn'] },
    });
    expect(logs.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    for (const [, id] of [
      [bucket, bucketId],
      [logs, logsId],
    ] as const) {
      const policy = policies.find((p) => JSON.stringify(p.Properties?.Bucket) === JSON.stringify({ Ref: id }));
      const statements = policy?.Properties?.PolicyDocument.Statement as Record<string, any>[];
      const denies = statements.filter((s) => s.Effect === 'Deny');
      expect(denies).toContainEqual(expect.objectContaining({ Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
      expect(denies).toContainEqual(expect.objectContaining({ Action: 's3:*', Principal: { AWS: '*' }, Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }));
      // The bucket policy grants nobody anything but the log delivery service (on the log bucket).
      for (const s of statements.filter((st) => st.Effect === 'Allow')) expect(s.Principal).toEqual({ Service: 'logging.s3.amazonaws.com' });
    }
  });

  it('has versioning off: a discarded file is gone', () => {
    expect(bucket.VersioningConfiguration).toBeUndefined();
  });

  it('aborts uploads never completed, expires files tagged rejected, and every file after its retention', () => {
    expect(bucket.LifecycleConfiguration.Rules).toEqual([
      { Id: 'abort-incomplete-uploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
      { Id: 'expire-rejected-files', Status: 'Enabled', ExpirationInDays: 1, TagFilters: [{ Key: REJECTED_TAG.Key, Value: REJECTED_TAG.Value }] },
      { Id: 'expire-after-retention', Status: 'Enabled', ExpirationInDays: RETENTION_DAYS.attachmentFile },
    ]);
    // The files live exactly as long as the request items that point to them.
    expect(RETENTION_DAYS.attachmentFile).toBe(RETENTION_DAYS.request);
    expect(logs.LifecycleConfiguration.Rules).toEqual([{ Id: 'expire-access-logs', Status: 'Enabled', ExpirationInDays: 365 }]);
  });

  it("allows CORS PUT and GET from the portal's origins only, with the headers a presigned upload sends", () => {
    expect(bucket.CorsConfiguration.CorsRules).toEqual([
      { AllowedOrigins: ORIGINS, AllowedMethods: ['PUT', 'GET', 'HEAD'], AllowedHeaders: [...UPLOAD_HEADERS], ExposedHeaders: ['ETag'], MaxAge: 3600 },
    ]);
    expect(logs.CorsConfiguration).toBeUndefined();
  });

  it('refuses to build with an http:// origin for the browser uploads', () => {
    expect(() => buildForTest({ context: { corsOrigins: ['https://portal.test.example', 'http://portal.test.example'] } })).toThrow(/corsOrigins/);
  });

  it('logs server access to the log bucket', () => {
    expect(bucket.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'attachments/' });
  });

  it('sends Object Created to EventBridge, where a rule starts the check workflow with the event', () => {
    expect(bucket.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    // No S3 → Lambda notification and no notification custom resource (and its role) are needed.
    expect(Object.keys(resourcesOf(built.template, 'Custom::S3BucketNotifications'))).toEqual([]);
    const triggered = Object.entries(WORKFLOWS).filter(([, def]) => def.trigger === 'attachments:objectCreated').map(([name]) => name);
    expect(triggered).toEqual(['attachment']);
    // Event-pattern rules only (scheduled functions have rate rules of their own).
    const rules = Object.values(resourcesOf(built.template, 'AWS::Events::Rule')).filter((r) => r.Properties?.EventPattern !== undefined);
    expect(rules).toHaveLength(1);
    const rule = rules[0]?.Properties ?? {};
    expect(rule.EventPattern).toEqual({ source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [{ Ref: bucketId }] } } });
    expect(rule.State).toBe('ENABLED');
    expect(rule.Targets).toHaveLength(1);
    expect(rule.Targets[0].Arn).toEqual({ Ref: logicalIdOf(built.stack, built.stack.workflows.attachment.stateMachine) });
    expect(rule.Targets[0].Input).toBeUndefined();
    expect(rule.Targets[0].InputPath).toBeUndefined();
  });

  it("lets EventBridge start exactly the check workflow, nothing else", () => {
    const rule = Object.values(resourcesOf(built.template, 'AWS::Events::Rule')).find((r) => r.Properties?.EventPattern !== undefined)?.Properties ?? {};
    const roleId = rule.Targets[0].RoleArn['Fn::GetAtt'][0];
    const role = resourcesOf(built.template, 'AWS::IAM::Role')[roleId]?.Properties ?? {};
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' })]);
    const statements = Object.values(resourcesOf(built.template, 'AWS::IAM::Policy'))
      .filter((p) => (p.Properties?.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap((p) => p.Properties?.PolicyDocument.Statement as Record<string, any>[]);
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: logicalIdOf(built.stack, built.stack.workflows.attachment.stateMachine) } }]);
  });

  it('outputs the bucket name', () => {
    expect(built.template.findOutputs('AttachmentsBucketName').AttachmentsBucketName?.Value).toEqual({ Ref: bucketId });
  });
});
