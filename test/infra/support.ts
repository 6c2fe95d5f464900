import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../infra/app.ts';
import type { EdgeWafStack } from '../../infra/stacks/edge-waf-stack.ts';
import type { SupportCenterStack } from '../../infra/stacks/support-center-stack.ts';

/** Shared by the infra tests: the app as `cdk synth` builds it, bundling skipped. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The context defaults of cdk.json: tests build what `npm run synth` builds. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(`${REPO}cdk.json`, 'utf8')) as { context: Record<string, unknown> };
  return cdkJson.context;
}

/** A WebACL ARN of the right shape: with it the main stack builds CloudFront in front of the API. */
export const TEST_WEB_ACL_ARN = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/SupportCenterApi/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

export interface Built {
  app: App;
  stack: SupportCenterStack;
  template: Template;
  /** The WebACL's stack (us-east-1). */
  waf: EdgeWafStack;
  wafTemplate: Template;
}

export function buildForTest(options: { context?: Record<string, unknown>; nag?: boolean } = {}): Built {
  const app = new App({ context: { ...cdkJsonContext(), ...options.context, 'aws:cdk:bundling-stacks': [] } });
  const { stack, waf } = buildApp({ app, nag: options.nag ?? false });
  return { app, stack, template: Template.fromStack(stack), waf, wafTemplate: Template.fromStack(waf) };
}

export type Resources = Record<string, { Type: string; Properties?: Record<string, any>; [k: string]: unknown }>;

export function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** The one resource of a type, failing loudly when there are none or several. */
export function onlyResource(template: Template, type: string): { id: string; props: Record<string, any> } {
  const entries = Object.entries(resourcesOf(template, type));
  if (entries.length !== 1) throw new Error(`expected exactly one ${type}, found ${entries.length}`);
  const [id, resource] = entries[0]!;
  return { id, props: resource.Properties ?? {} };
}

/** Logical id of the L1 resource behind an L2 construct of `stack`. */
export function logicalIdOf(stack: SupportCenterStack, construct: IConstruct): string {
  const resource = construct.node.defaultChild;
  if (!resource) throw new Error(`${construct.node.path} has no default child`);
  return stack.getLogicalId(resource as CfnElement);
}
