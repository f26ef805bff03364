import type { Config } from '../config/config-schema.js';
import { createSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
import type { Store } from './store.js';

/**
 * The store the config names: SQLite at `store.path` (readConfig has already resolved it against
 * WHY137_DATA_DIR or the config file). Throws why137_config_invalid with one line on a bad path.
 */
export function openStore(config: Pick<Config, 'store'>, options: SqliteStoreOptions = {}): Store {
  return createSqliteStore(config.store.path, options);
}
