import vm from 'node:vm';
import Database from 'better-sqlite3';

describe('the per-file test setup (env.ts)', () => {
  it("gives a test file SQLite errors of its own realm, even after another file's in the same worker", () => {
    // What an earlier test file in this worker leaves behind: the shared native addon holding that file's class.
    const addon = require('better-sqlite3/build/Release/better_sqlite3.node');
    addon.setErrorConstructor(
      vm.runInNewContext('(class SqliteError extends Error { constructor(m, code) { super(m); this.code = code; } })')
    );
    addon.isInitialized = true;

    jest.isolateModules(() => require('./env'));

    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (k TEXT UNIQUE); INSERT INTO t VALUES (1)');
    let error: unknown;
    try {
      db.exec('INSERT INTO t VALUES (1)');
    } catch (caught) {
      error = caught;
    }
    db.close();
    // An error of another realm fails this, and `rejects.toThrow()` would not recognise it as thrown.
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/UNIQUE constraint failed/);
  });
});
