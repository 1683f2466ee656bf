// Runs the API's TypeScript as its own process with decorator metadata (which Nest's dependency
// injection reads and tsx's esbuild does not emit): the same swc settings as the test runner,
// and the @samverkan/* paths of tsconfig.json. Usage: node -r ./test/support/swc-register.cjs
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');
require('tsconfig-paths/register');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
    module: { type: 'commonjs', ignoreDynamic: true },
  });
  module._compile(code, filename);
};
