import type { Command } from '../command';

/**
 * Every subcommand, loaded on demand so `setmov --help` stays fast and a command's
 * dependencies (ssh2, better-sqlite3, ...) load only when it runs.
 */
export const commands: Record<string, () => Promise<Command>> = {
  collect: async () => (await import('./collect')).collectCommand,
  serve: async () => (await import('./serve')).serveCommand,
  libvirt: async () => (await import('./libvirt')).libvirtCommand,
  sync: async () => (await import('./sync')).syncCommand,
  export: async () => (await import('./export')).exportCommand,
  hosts: async () => (await import('./hosts')).hostsCommand,
  analyze: async () => (await import('./analyze')).analyzeCommand,
  apply: async () => (await import('./apply')).applyCommand,
  audit: async () => (await import('./audit')).auditCommand,
  agent: async () => (await import('./agent')).agentCommand,
};
