/**
 * The layers of the house (README « How it is built »), checked by `npm test` (test/layers.test.ts):
 * domain ← dialogs ← bot ← http, and infra implementing the domain's ports. Parsed with swc, which needs
 * no TypeScript compiler API (TypeScript 7 ships none).
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-plain',
      comment: 'The domain knows neither Bot Framework, nor Redis, nor HTTP, nor the dialogs.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^(src/(infra|http|bot|dev)|dialogs)/|^src/(index|config|log)\\.ts$' },
    },
    {
      name: 'domain-does-no-io',
      comment:
        'Nothing in the domain reads a file or opens a socket: the composition root loads and passes in.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        path: '^(node:)?(fs|fs/promises|net|http|https|child_process|dgram|tls)$',
        dependencyTypes: ['core'],
      },
    },
    {
      name: 'dialogs-above-the-domain-only',
      comment: 'Dialogs use the domain (and botbuilder-dialogs), never the infrastructure, the bot or HTTP.',
      severity: 'error',
      from: { path: '^dialogs/' },
      to: { path: '^src/(infra|http|bot|dev)/|^src/(index|config)\\.ts$' },
    },
    {
      name: 'bot-below-http',
      severity: 'error',
      from: { path: '^src/bot/' },
      to: { path: '^src/(http|dev|infra)/|^src/index\\.ts$' },
    },
    {
      name: 'http-not-into-dialogs',
      comment: 'HTTP hands activities to the bot; it does not reach into the dialogs.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^dialogs/' },
    },
    {
      name: 'dev-tools-stay-dev',
      comment:
        'Development tools (src/dev) are wired by the composition root only; nothing else imports them.',
      severity: 'error',
      from: { path: '^(src|dialogs)/', pathNot: '^src/(index\\.ts|dev/)' },
      to: { path: '^src/dev/' },
    },
    {
      name: 'infra-implements-ports',
      comment:
        'Infrastructure implements the domain’s ports; it never reaches up to HTTP, the bot or the dialogs.',
      severity: 'error',
      from: { path: '^src/infra/' },
      to: { path: '^(src/(http|bot|dev)|dialogs)/|^src/index\\.ts$' },
    },
    {
      name: 'no-circular-layers',
      severity: 'error',
      from: { path: '^(src|dialogs)/' },
      to: { circular: true, path: '^(src|dialogs)/', pathNot: '^src/(domain|http|infra|bot)/.+/.+' },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: false,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
  },
};
