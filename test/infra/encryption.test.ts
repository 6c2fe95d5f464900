import { beforeAll, describe, expect, it } from 'vitest';
import { type Built, TEST_WEB_ACL_ARN, buildForTest, logicalIdOf, onlyResource, resourcesOf } from './support.ts';

describe('customer managed keys for data at rest', () => {
  let built: Built;
  let keyRef: { 'Fn::GetAtt': [string, 'Arn'] };
  let keyId: string;
  beforeAll(() => {
    built = buildForTest({ context: { webAclArn: TEST_WEB_ACL_ARN } });
    keyId = logicalIdOf(built.stack, built.stack.dataKey.key);
    keyRef = { 'Fn::GetAtt': [keyId, 'Arn'] };
  });

  it('every KMS key rotates, and the data key outlives the stack like the data it encrypts', () => {
    const keys = resourcesOf(built.template, 'AWS::KMS::Key');
    expect(Object.keys(keys).length).toBeGreaterThanOrEqual(2); // the data key and the alarm topic's key
    for (const [id, key] of Object.entries(keys)) expect(key.Properties?.EnableKeyRotation, id).toBe(true);
    expect(keys[keyId]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('the table is encrypted with the data key', () => {
    const table = onlyResource(built.template, 'AWS::DynamoDB::Table').props;
    expect(table.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyRef });
  });

  it('the attachments bucket is SSE-KMS with the data key (and a bucket key)', () => {
    const bucketId = logicalIdOf(built.stack, built.stack.attachments.bucket);
    const bucket = resourcesOf(built.template, 'AWS::S3::Bucket')[bucketId]!.Properties!;
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyRef } },
    ]);
  });

  it('every CloudWatch log group (functions, workflows, API access logs) is encrypted with the data key', () => {
    const groups = resourcesOf(built.template, 'AWS::Logs::LogGroup');
    expect(Object.keys(groups).length).toBeGreaterThan(10);
    for (const [id, group] of Object.entries(groups)) expect(group.Properties?.KmsKeyId, id).toEqual(keyRef);
  });

  it('every SQS queue (the dead-letter queues) is encrypted with the data key', () => {
    const queues = resourcesOf(built.template, 'AWS::SQS::Queue');
    expect(Object.keys(queues).length).toBeGreaterThan(0);
    for (const [id, queue] of Object.entries(queues)) {
      expect(queue.Properties?.KmsMasterKeyId, id).toEqual(keyRef);
      expect(queue.Properties?.SqsManagedSseEnabled, id).toBeUndefined();
    }
  });

  it('every SNS topic is encrypted with a customer managed key of this stack', () => {
    const topics = resourcesOf(built.template, 'AWS::SNS::Topic');
    expect(Object.keys(topics).length).toBeGreaterThan(0);
    const keyIds = Object.keys(resourcesOf(built.template, 'AWS::KMS::Key'));
    for (const [id, topic] of Object.entries(topics)) {
      const ref = topic.Properties?.KmsMasterKeyId;
      expect(keyIds.map((k) => ({ 'Fn::GetAtt': [k, 'Arn'] })), id).toContainEqual(ref);
    }
  });

  it("the data key's policy lets in only this account's log groups and this account's EventBridge rules, besides IAM", () => {
    const policy = resourcesOf(built.template, 'AWS::KMS::Key')[keyId]!.Properties!.KeyPolicy;
    const services = (policy.Statement as any[]).filter((s) => s.Principal?.Service);
    expect(services).toHaveLength(2);
    const logs = services.find((s) => JSON.stringify(s.Principal.Service).includes('logs.'))!;
    expect(JSON.stringify(logs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'])).toContain(':log-group:*');
    const events = services.find((s) => s.Principal.Service === 'events.amazonaws.com')!;
    expect(events.Action.sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(JSON.stringify(events.Condition.ArnLike['aws:SourceArn'])).toContain(':rule/*');
    // Nobody else by name: the rest is the account's own root (IAM decides).
    const others = (policy.Statement as any[]).filter((s) => !s.Principal?.Service);
    for (const s of others) expect(JSON.stringify(s.Principal)).toContain(':root');
  });

  it("functions use the key only through DynamoDB and S3 (kms:ViaService)", () => {
    const statements = Object.values(resourcesOf(built.template, 'AWS::IAM::Policy')).flatMap((p) => p.Properties?.PolicyDocument.Statement as any[]);
    const keyUses = statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(keyRef) && [s.Action].flat().some((a: string) => a.startsWith('kms:')));
    expect(keyUses.length).toBeGreaterThan(0);
    const fnRoles = new Set(Object.values(built.stack.functions).map((f) => logicalIdOf(built.stack, f.role)));
    for (const p of Object.values(resourcesOf(built.template, 'AWS::IAM::Policy'))) {
      if (![p.Properties?.Roles].flat().some((r: any) => fnRoles.has(r?.Ref))) continue;
      for (const s of (p.Properties?.PolicyDocument.Statement as any[]).filter((x) => [x.Action].flat().some((a: string) => a.startsWith('kms:')))) {
        const via = [s.Condition.StringEquals['kms:ViaService']].flat().map((v: unknown) => JSON.stringify(v));
        expect(via.length).toBeGreaterThan(0);
        for (const v of via) expect(v).toMatch(/(dynamodb|s3)\./);
      }
    }
  });
});
