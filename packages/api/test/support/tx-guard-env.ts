// Every API test runs with the transaction guard (src/db/sql.ts): a pool query inside a transaction throws.
process.env.QUANZI_TX_GUARD ??= '1';
