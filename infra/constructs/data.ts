import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { TABLE } from '../../functions/adapters/dynamodb/table-definition.ts';

export interface DataProps {
  deletionProtection: boolean;
  /** The customer managed key the table is encrypted with. */
  encryptionKey: IKey;
}

/**
 * The single table (built from TABLE, the definition the local runtime also uses) and the HMAC
 * key for identity hashes. Both outlive the stack: losing either loses the data's meaning.
 */
export class Data extends Construct {
  readonly table: Table;
  readonly identityKey: Secret;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);

    // TABLE names the key attributes only; every key attribute is a string (keys.ts builds them).
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      timeToLiveAttribute: TABLE.ttlAttribute,
      deletionProtection: props.deletionProtection,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: index.projection === 'ALL' ? ProjectionType.ALL : ProjectionType.KEYS_ONLY,
      });
    }

    this.identityKey = new Secret(this, 'IdentityKey', {
      description: 'HMAC key for SNILS/passport/one-time-code hashes (support-center). Never rotate in place: see docs/operations.md.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Deleting the key would orphan every stored hash, exactly like rotating it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.identityKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'rotating the key would orphan every stored SNILS/passport hash; rotation is a planned re-hash procedure in docs/operations.md',
    });
  }
}
