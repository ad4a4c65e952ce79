/**
 * The app's IndexedDB database, with a versioned schema: each version's upgrade step runs once, in order, so a
 * browser holding any older version is migrated forward without losing records.
 */
const DB_NAME = 'visual-rft-workbench';
export const DB_VERSION = 3;

const UPGRADES: Record<number, (db: IDBDatabase) => void> = {
  // v1: training-run snapshots (resume after a reload or a worker crash).
  1: (db) => {
    db.createObjectStore('runs', { keyPath: 'id' });
  },
  // v2: the dataset workbench — dataset records, image records (annotations) by dataset, and image pixels.
  2: (db) => {
    db.createObjectStore('datasets', { keyPath: 'id' });
    db.createObjectStore('images', { keyPath: 'id' }).createIndex('datasetId', 'datasetId');
    db.createObjectStore('blobs', { keyPath: 'imageId' });
  },
  // v3: trained checkpoints with their provenance (a run never overwrites the model it started from).
  3: (db) => {
    db.createObjectStore('checkpoints', { keyPath: 'id' });
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

/** The message for a failed transaction; a full quota gets one a user can act on. */
export function storageError(e: DOMException | Error | null | undefined): Error {
  return new Error(e?.name === 'QuotaExceededError' ? 'browser storage is full: free space (delete old runs or datasets) and try again; nothing already saved was lost' : `browser storage failed: ${e?.message ?? 'unknown error'}`);
}

/**
 * Run `fn` in one transaction over several stores: it commits as a whole or not at all (an import is never
 * half-saved). Resolves with `fn`'s result when the transaction completes.
 */
export async function inTransaction<T>(stores: string[], mode: IDBTransactionMode, fn: (tx: IDBTransaction) => T | Promise<T>): Promise<T> {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    let tx: IDBTransaction;
    try {
      tx = db.transaction(stores, mode);
    } catch (e) {
      reject(storageError(e as Error));
      return;
    }
    let result: T | Promise<T>;
    tx.oncomplete = () => resolve(result);
    const fail = () => reject(storageError(tx.error));
    tx.onerror = fail;
    tx.onabort = fail;
    try {
      result = fn(tx);
    } catch (e) {
      // A store method can throw at once (DataCloneError, QuotaExceededError in some browsers): same message.
      tx.abort();
      reject(e instanceof DOMException ? storageError(e) : e);
    }
  });
}

/** Read a request's result inside `inTransaction`. */
export function requestResult<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(storageError(req.error));
  });
}

/** Run one request in a transaction; quota errors come back with a message a user can act on. */
export async function withStore<T>(store: string, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const req = fn(tx.objectStore(store));
    tx.oncomplete = () => resolve(req.result);
    const fail = () => reject(storageError(tx.error ?? req.error));
    tx.onerror = fail;
    tx.onabort = fail;
  });
}
