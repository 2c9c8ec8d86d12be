import type { Database } from 'better-sqlite3';
import type { SqliteMigration } from '../sqlite-migration';

/**
 * The guest's swap-in (bytes/s) and major page faults (/s): the analysis' sign that a
 * desktop has too little memory, which its used memory alone cannot show (a guest under
 * pressure keeps "used" just under its size and pages instead). Rows from before have
 * NULL there: not measured, which is what they were.
 */
export const migration004: SqliteMigration = {
  version: 4,
  description: 'vm samples and rollups: guest swap-in and major faults',
  up(db: Database): void {
    const statements = ['ALTER TABLE vm_samples ADD COLUMN mem_swap_in INTEGER'];
    statements.push('ALTER TABLE vm_samples ADD COLUMN mem_major_faults INTEGER');
    for (const table of ['vm_rollup_1m', 'vm_rollup_1h']) {
      for (const column of ['mem_swap_in', 'mem_major_faults']) {
        for (const agg of ['min', 'avg', 'max']) {
          statements.push(`ALTER TABLE ${table} ADD COLUMN ${column}_${agg} REAL`);
        }
      }
    }
    for (const statement of statements) db.exec(statement);
  },
};
