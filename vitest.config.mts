import { defineConfig } from 'vitest/config';

/**
 * Four projects in `npm test` (and `load` in `npm run test:load`): unit (pure core, in-memory adapters), integration (adapters and
 * state machines against one DynamoDB Local per run), e2e (spawns `npm start`), infra (CDK
 * template assertions). Each can run alone: `npx vitest run --project unit`.
 */
export default defineConfig({
  test: {
    setupFiles: ['test/support/polyfills.ts'],
    // Task and access logs are asserted where they matter (log tests set their own level).
    env: { POWERTOOLS_LOG_LEVEL: 'ERROR' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/dynamodb-global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000 } },
      {
        extends: true,
        // own-tmpdir: the CDK leaves a cdk.out* directory per synth in the temp dir.
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'], setupFiles: ['test/support/own-tmpdir.ts'], globalSetup: ['test/support/web-cloud-build.ts'], testTimeout: 180_000, hookTimeout: 180_000 },
      },
      // `npm run test:load` (CI runs it too): minutes, not seconds, so not part of `npm test`.
      { extends: true, test: { name: 'load', include: ['test/load/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 120_000 } },
    ],
  },
});
