/**
 * Stand-in for `@smithy/core/event-streams` in Lambda bundles (esbuild `alias`, infra/bundling.ts).
 * Every SDK protocol reaches it (a dynamic import in HttpProtocol, which a single-file bundle
 * inlines), and S3's client configures a marshaller with it at construction, but only event-stream
 * operations use it (S3 SelectObjectContent; DynamoDB, Step Functions and SNS have none), and
 * this project calls none: ~15 KB of every bundle. Configuring works as the SDK's does; using an
 * event stream fails loudly. Unbundled code (the local runtime, tests) keeps the SDK's module.
 */
const LEFT_OUT = (): never => {
  throw new Error('@smithy/core/event-streams is left out of this bundle: no operation this project calls uses an event stream (infra/bundling.ts).');
};

/** What the SDK's resolver does: the client config gets the marshaller its provider makes. */
export const resolveEventStreamSerdeConfig = <T extends { eventStreamSerdeProvider: (input: T) => unknown }>(input: T): T & { eventStreamMarshaller: ReturnType<T['eventStreamSerdeProvider']> } =>
  Object.assign(input, { eventStreamMarshaller: input.eventStreamSerdeProvider(input) as ReturnType<T['eventStreamSerdeProvider']> });

export const eventStreamSerdeProvider = () => ({ serialize: LEFT_OUT, deserialize: LEFT_OUT });

export class EventStreamSerde {
  constructor() {
    LEFT_OUT();
  }
}
