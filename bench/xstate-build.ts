/**
 * Which xstate build the benches measure. xstate ships a development build
 * (warnings, checks: about 25% slower) selected by the `development` export
 * condition; some resolvers pick it. The benches must time the production
 * build users run, so they say which file they loaded and refuse the other.
 */
export function xstateBuild(): string {
  const url = import.meta.resolve('xstate');
  if (/development/.test(url)) {
    throw new Error(`bench: xstate resolved to its development build (${url}); run without the "development" condition (pnpm bench does)`);
  }
  return url.replace(/^.*node_modules\//, '');
}
