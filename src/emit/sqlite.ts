// The one sql.js importer: the run's tables in one SQLite file. sql.js is
// SQLite compiled to WebAssembly and shipped inside its npm package, so it
// installs anywhere npm does, with no compiler and no binary download.
import type { SqlJsStatic } from 'sql.js';
import { TABLES, type TableName, type Tables } from './tables.js';

let engine: Promise<SqlJsStatic> | undefined;
/** Loaded on first use, so commands that write no SQLite file never load the WebAssembly. */
function sqlite(): Promise<SqlJsStatic> {
  engine ??= import('sql.js').then((m) => m.default());
  return engine;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The tables as the bytes of a SQLite database (primary keys, indexes). */
export async function tablesToSqlite(tables: Tables): Promise<Uint8Array> {
  const SQL = await sqlite();
  const db = new SQL.Database();
  try {
    db.run('PRAGMA journal_mode = OFF; PRAGMA foreign_keys = OFF;');
    db.run('BEGIN');
    for (const name of Object.keys(TABLES) as TableName[]) {
      const spec = TABLES[name];
      const cols = spec.columns.map(([c, type]) => `${quote(c)} ${type}`).join(', ');
      db.run(`CREATE TABLE ${quote(name)} (${cols}, PRIMARY KEY (${spec.primaryKey.map(quote).join(', ')})) WITHOUT ROWID`);
      const insert = db.prepare(`INSERT INTO ${quote(name)} VALUES (${spec.columns.map(() => '?').join(', ')})`);
      for (const row of tables[name]) {
        insert.run(row.map((v) => (v === undefined || v === '' ? null : typeof v === 'boolean' ? (v ? 1 : 0) : v)));
      }
      insert.free();
      for (const idx of spec.indexes) {
        db.run(`CREATE INDEX ${quote(`${name}_${idx.join('_')}`)} ON ${quote(name)} (${idx.map(quote).join(', ')})`);
      }
    }
    db.run('COMMIT');
    return db.export();
  } finally {
    db.close();
  }
}

/** Run a query on SQLite bytes (for tests and `rectrace` users without sqlite3): rows as objects. */
export async function querySqlite(bytes: Uint8Array, sql: string, params: (string | number | null)[] = []): Promise<Record<string, unknown>[]> {
  const SQL = await sqlite();
  const db = new SQL.Database(bytes);
  try {
    const stmt = db.prepare(sql);
    stmt.bind(params);
    const rows: Record<string, unknown>[] = [];
    while (stmt.step()) rows.push(stmt.getAsObject());
    stmt.free();
    return rows;
  } finally {
    db.close();
  }
}
