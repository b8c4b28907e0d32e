import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    // the CLI tests run the built command, as a user does: build it (tsc -b) once before any test
    globalSetup: ['test/build.setup.ts'],
    testTimeout: 180_000, // long simulations on a shared 2-core machine; speed is measured by pnpm bench, never here
  },
});
