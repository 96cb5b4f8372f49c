/**
 * The import rules of ../shared/design.md ("Layout" and "Rules"), checked by `npm run deps`
 * (scripts/deps.mjs → depcruise over server, shared and web/src). The arrows between modules
 * are listed in docs/ARCHITECTURE.md; here a module may reach another only through its index.ts.
 */
const TEST = '\\.test\\.tsx?$';
const INDEX = '^server/modules/[^/]+/index\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-a-leaf',
      comment: 'shared/ is used by server and web alike, so it imports neither.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(server|web)/' },
    },
    {
      name: 'web-not-server',
      comment: 'The web app talks to the server over HTTP (the generated client), never by import; contracts come from shared/.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^server/' },
    },
    {
      name: 'core-below-modules',
      comment: 'server/core is what modules stand on; it imports no module.',
      severity: 'error',
      from: { path: '^server/core/' },
      to: { path: '^server/modules/' },
    },
    {
      name: 'module-through-index',
      comment:
        'A module reaches another module only through its index.ts (its public surface); services, repositories ' +
        'and rows stay inside. Import server/modules/<name>/index.js instead.',
      severity: 'error',
      from: { path: '^server/modules/([^/]+)/' },
      to: { path: '^server/modules/[^/]+/', pathNot: ['^server/modules/$1/', INDEX] },
    },
    {
      name: 'outside-through-index',
      comment: 'http/, flows/, cli/, db/ and runtime.ts reach a module only through its index.ts, as other modules do.',
      severity: 'error',
      from: { path: '^server/', pathNot: '^server/modules/' },
      to: { path: '^server/modules/[^/]+/', pathNot: INDEX },
    },
    {
      name: 'modules-below-http-and-flows',
      comment: 'Modules are called by routes and flows, never the other way round; only flows/ writes across modules.',
      severity: 'error',
      from: { path: '^server/modules/' },
      to: { path: '^server/(http|flows|cli)/' },
    },
    {
      name: 'nothing-imports-indicators',
      comment: 'indicators reads every module with SQL; no module depends on it (only http/app.ts registers its routes).',
      severity: 'error',
      from: { path: '^server/modules/', pathNot: '^server/modules/indicators/' },
      to: { path: '^server/modules/indicators/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes load order matter and hides a layer that should not be there. Type-only imports do not count.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'server-runs-on-dependencies',
      comment: 'npm ci --omit=dev must leave a server that runs: server code imports no devDependency (tests may).',
      severity: 'error',
      from: { path: '^server/', pathNot: TEST },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that resolves to nothing fails at run time.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-undeclared-package',
      comment: 'Every package imported must be in package.json, not merely present in node_modules.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|data|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
