/**
 * What Node 20.19+ (a supported version for running the project locally: README "Node.js") needs
 * that Node 22 and 24 have. Imported by the local runtime and by every test.
 *
 * aws-local-stepfunctions 3 uses Promise.withResolvers (Node 22+). On Node 20 every async Task
 * would fail with "Promise.withResolvers is not a function", hidden by any `Catch States.ALL`.
 */
interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

const P = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };
if (typeof P.withResolvers !== 'function') {
  P.withResolvers = <T>(): Resolvers<T> => {
    let resolve!: Resolvers<T>['resolve'];
    let reject!: Resolvers<T>['reject'];
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

// The AWS SDK prints a NodeVersionSupportWarning on Node < 22 at its first client: SDK releases
// after January 2027 will need Node 22. Ours is pinned (package-lock.json), so it does not concern
// this process; the SDK's own switch turns it off, on Node 20 only. Lambda runs Node 24, where the
// SDK never warns. Moving the pinned SDK past that date means dropping Node 20 from `engines`.
if (process.versions.node.startsWith('20.')) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
export {};
