/**
 * The app's IndexedDB database, with a versioned schema: each version's upgrade step runs once, in order, so a
 * browser holding any older version is migrated forward without losing records.
 */
const DB_NAME = 'visual-rft-workbench';
export const DB_VERSION = 1;

const UPGRADES: Record<number, (db: IDBDatabase) => void> = {
  // v1: training-run snapshots (resume after a reload or a worker crash).
  1: (db) => {
    db.createObjectStore('runs', { keyPath: 'id' });
  },
};

let opening: Promise<IDBDatabase> | null = null;

export function openDb(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = (ev) => {
      for (let v = ev.oldVersion + 1; v <= DB_VERSION; v++) UPGRADES[v]?.(req.result);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`cannot open the browser database: ${req.error?.message ?? 'unknown error'}`));
    req.onblocked = () => reject(new Error('the browser database is blocked by another tab of this app; close it and reload'));
  });
  return opening;
}

/** Run one request in a transaction; quota errors come back with a message a user can act on. */
export async function withStore<T>(store: string, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const req = fn(tx.objectStore(store));
    tx.oncomplete = () => resolve(req.result);
    const fail = () => {
      const e = tx.error ?? req.error;
      reject(new Error(e?.name === 'QuotaExceededError' ? 'browser storage is full: free space (delete old runs or datasets) and try again; nothing already saved was lost' : `browser storage failed: ${e?.message ?? 'unknown error'}`));
    };
    tx.onerror = fail;
    tx.onabort = fail;
  });
}
