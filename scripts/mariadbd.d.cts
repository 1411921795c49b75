/** Types of scripts/mariadbd.cjs (a private MariaDB server for tests). */
export interface PrivateMariadb {
  /** mariadb://root@127.0.0.1:<port> (root, no password). */
  url: string;
  port: number;
  /** The temporary directory (removed by stop) and the data directory in it. */
  dir: string;
  dataDir: string;
  pid: number | undefined;
  /** Ends the server, waits for it to exit, removes the directory. */
  stop(): Promise<void>;
}
export interface StartMariadbdOptions {
  /** More mariadbd arguments (e.g. --server-id=2). */
  args?: string[];
  /** Copy this data directory (from initDataDir; no server may be running on it) instead of running the installer. */
  dataFrom?: string;
  /** --innodb-buffer-pool-size (default 256M). */
  bufferPool?: string;
}
export function greets(host: string, port: number, timeoutMs?: number): Promise<boolean>;
export function which(bin: string): string | null;
export function freePort(): Promise<number>;
export function mariadbBinaries(): { server: string; install: string } | null;
/** Runs mariadb-install-db into `dataDir`; throws when MariaDB is not installed. */
export function initDataDir(dataDir: string): void;
export function startMariadbd(opts?: StartMariadbdOptions): Promise<PrivateMariadb | null>;
