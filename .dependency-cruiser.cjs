/**
 * `npm run cycles`: the import graph of src/, checked by dependency-cruiser.
 *
 * The project compiles with TypeScript 7, which has no JavaScript API, and dependency-cruiser only
 * reads .ts through the TypeScript API of versions below 7 or through swc: so the graph is parsed
 * with @swc/core (`parser: 'swc'`). Imports ending in `.js` resolve to the `.ts` sources.
 */
const ENTRY_POINTS = '^src/(main|cli/main|worker/worker|core/replay/decide-worker|app/pages/[^/]+/main)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module must not import itself through a chain of other modules.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'src/core is the framework-free core: no Nest, no BullMQ, no Twilio, no Redis client.',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], path: 'node_modules/(@nestjs/|bullmq/|twilio/|ioredis/)' },
    },
    {
      name: 'core-imports-no-shell',
      severity: 'error',
      comment: 'src/core is called by the adapters (infra) and the shells (cli, app, worker), never the other way round.',
      from: { path: '^src/core/' },
      to: { path: '^src/(app|cli|infra|worker)/' },
    },
    {
      name: 'no-dead-files',
      severity: 'error',
      comment: 'Every file in src/ is reachable from an entry point (the CLI, the server, the SMS worker, the replay worker thread, the pages).',
      from: { path: ENTRY_POINTS },
      to: { path: '^src/', pathNot: ENTRY_POINTS, reachable: false },
    },
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    includeOnly: { path: ['^src/', 'node_modules/'] },
    tsPreCompilationDeps: false,
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.json'],
      conditionNames: ['import', 'require', 'node', 'default'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main'],
    },
  },
};
