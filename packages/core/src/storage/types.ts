/** Parameters of {@link UpdateStore.put}. */
export type PutUpdateParameters = {
  /** Relative name of the object, e.g. `w000042/uid-7.tsu`; see {@link assertStoreKey}. */
  key: string;
  /** The update's wire bytes. */
  bytes: Uint8Array;
  /** Aborts the upload. */
  signal?: AbortSignal | undefined;
};

/** What {@link UpdateStore.put} returns. */
export type PutUpdateResult = {
  /** Where anyone holding a matching reader can fetch the bytes; this goes on chain. */
  uri: string;
};

/** Parameters of every read by URI: {@link UpdateStore.get}, {@link getUpdateBytes}. */
export type GetUpdateParameters = {
  /** The URI a `put` returned (or a miner committed). */
  uri: string;
  /** Largest object accepted, in bytes; anything larger fails with reason `too-large`. */
  maxBytes: number;
  /** Time limit for the whole read, connection and body included, in milliseconds. */
  timeoutMs: number;
  /** Aborts the read (shutdown). */
  signal?: AbortSignal | undefined;
};

/** Parameters of {@link UpdateStore.has} and {@link UpdateStore.delete}. */
export type StoreKeyParameters = {
  key: string;
  signal?: AbortSignal | undefined;
};

/**
 * Where a miner puts its updates and anyone reads them back.
 *
 * Stores are untrusted: the digest committed on chain is what proves the bytes. Every read
 * carries a byte cap and a time limit, and failures are {@link StorageError}s whose
 * `reason` says what happened and whose class says whether a retry can help.
 *
 * @example
 * const { uri } = await store.put({ key: 'w000042/uid-7.tsu', bytes });
 * const back = await store.get({ uri, maxBytes: 64 << 20, timeoutMs: 10_000 });
 */
export type UpdateStore = {
  /** Short name for logs: `file`, `http`, `s3`. */
  readonly kind: string;
  /** Writes `bytes` under `key`, replacing what was there, and returns the URI to commit. */
  put(parameters: PutUpdateParameters): Promise<PutUpdateResult>;
  /** Reads a URI this store hands out, enforcing the byte cap and the time limit. */
  get(parameters: GetUpdateParameters): Promise<Uint8Array>;
  /** True when an object exists under `key`. */
  has(parameters: StoreKeyParameters): Promise<boolean>;
  /** Removes the object under `key`; removing a missing object is not an error. */
  delete(parameters: StoreKeyParameters): Promise<void>;
  /** The URI `put` returns for `key`, without any I/O. */
  uriOf(parameters: { key: string }): string;
};
