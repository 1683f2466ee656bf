/**
 * Layer rules, checked in CI (npm run lint): the domain stays pure, adapters stay behind ports,
 * and no bounded context reaches into another's internals.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'libs/domain imports no framework, adapter, driver or app: only itself and libs/shared.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: {
        pathNot: ['^libs/domain/', '^libs/shared/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'domain-no-framework-types',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: {
        path: 'node_modules/(@nestjs|typeorm|pg|kafkajs|@eventstore|@electric-sql|class-validator)',
      },
    },
    {
      name: 'contexts-stay-apart',
      comment:
        "A bounded context uses another only through that context's public file (index is not allowed: no barrels).",
      severity: 'error',
      from: { path: '^libs/domain/src/([^/]+)/' },
      to: { path: '^libs/domain/src/([^/]+)/.+/', pathNot: ['^libs/domain/src/$1/'] },
    },
    {
      name: 'web-app-is-a-browser-bundle',
      comment:
        'apps/web runs in the browser: it talks to the API over HTTP and bundles none of the server (libs, other apps) and no Node built-in.',
      severity: 'error',
      from: { path: '^apps/web/src/' },
      to: {
        path: '^(libs/|apps/(?!web/))',
        // Plain data without imports: the agencies' codes, and the report's labels, so the app
        // names things as the domain and the board's report do; the report's document shape
        // (types only), which the print view lays out as PDF and Word do.
        pathNot: [
          '^libs/reporting/src/follow-up-labels\\.ts$',
          '^libs/reporting/src/report-document\\.ts$',
          '^libs/domain/src/agencies/agencies\\.ts$',
          '^libs/domain/src/citizen-dialogue/unsafe-categories\\.ts$',
        ],
      },
    },
    {
      name: 'web-app-no-node-builtins',
      severity: 'error',
      from: { path: '^apps/web/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-depends-on-nothing-of-ours',
      severity: 'error',
      from: { path: '^libs/shared/' },
      to: { path: '^(libs/(?!shared/)|apps/)' },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'adapters-only-behind-the-port',
      comment:
        'Apps reach the event store through its port, config and module, never a driver-level file.',
      severity: 'error',
      from: { path: '^apps/' },
      to: { path: '^libs/event-store/src/(sql|postgres|embedded|contract)/' },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: ['\\.(spec|int-spec|e2e-spec)\\.ts$', '/contract/'] },
      to: { path: ['\\.(spec|int-spec|e2e-spec)\\.ts$', '/contract/', 'test-databases\\.ts$'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '(^dist/|^data/|node_modules)' },
  },
};
