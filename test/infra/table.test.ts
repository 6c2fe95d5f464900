import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE } from '../../functions/adapters/dynamodb/table-definition.ts';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Data } from '../../infra/constructs/data.ts';
import { readSettings } from '../../infra/stacks/settings.ts';
import { type Built, buildForTest, cdkJsonContext, onlyResource, resourcesOf } from './support.ts';

describe('the single table, from TABLE', () => {
  let built: Built;
  let table: Record<string, any>;
  beforeAll(() => {
    built = buildForTest();
    table = onlyResource(built.template, 'AWS::DynamoDB::Table').props;
  });

  it('is on-demand, with point-in-time recovery and server-side encryption', () => {
    expect(table.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.ProvisionedThroughput).toBeUndefined();
    expect(table.PointInTimeRecoverySpecification).toMatchObject({ PointInTimeRecoveryEnabled: true });
    expect(table.SSESpecification).toMatchObject({ SSEEnabled: true });
  });

  it('expires items by the TTL attribute of TABLE', () => {
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: TABLE.ttlAttribute, Enabled: true });
  });

  it('has the key schema of TABLE', () => {
    expect(table.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
  });

  it('has exactly the global secondary indexes of TABLE', () => {
    const actual = (table.GlobalSecondaryIndexes ?? []).map((gsi: any) => ({ name: gsi.IndexName, keys: gsi.KeySchema, projection: gsi.Projection }));
    const expected = TABLE.indexes.map((index) => ({
      name: index.name,
      keys: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      projection: { ProjectionType: index.projection },
    }));
    expect(actual).toEqual(expected);
  });

  it('declares every key attribute, and only those, as strings', () => {
    const keyNames = [TABLE.partitionKey, TABLE.sortKey, ...TABLE.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
    expect([...table.AttributeDefinitions].sort((a: any, b: any) => a.AttributeName.localeCompare(b.AttributeName))).toEqual(
      [...new Set(keyNames)].sort().map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    );
  });

  it('is retained and deletion-protected as the context says', () => {
    const [resource] = Object.values(resourcesOf(built.template, 'AWS::DynamoDB::Table'));
    expect(resource).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(table.DeletionProtectionEnabled).toBe(true);
    for (const off of [false, 'false']) {
      // `-c deletionProtection=false` arrives as a string: it must still switch protection off.
      const app = new App({ context: { ...cdkJsonContext(), deletionProtection: off } });
      const stack = new Stack(app, 'Probe');
      new Data(stack, 'Data', { deletionProtection: readSettings(app).deletionProtection, encryptionKey: new Key(stack, 'K') });
      expect(onlyResource(Template.fromStack(stack), 'AWS::DynamoDB::Table').props.DeletionProtectionEnabled).toBe(false);
    }
  });

  it('keeps the identity hash key: generated, retained on delete, not rotated', () => {
    const [secret] = Object.values(resourcesOf(built.template, 'AWS::SecretsManager::Secret'));
    expect(secret).toMatchObject({ DeletionPolicy: 'Retain' });
    expect(secret?.Properties?.GenerateSecretString).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true });
    expect(Object.keys(resourcesOf(built.template, 'AWS::SecretsManager::RotationSchedule'))).toEqual([]);
  });
});
