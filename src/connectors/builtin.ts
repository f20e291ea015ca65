/**
 * Loads the plugins that ship with Runnel: converters, transforms, Datagen, the DuckDB and
 * Postgres sinks, and the Postgres CDC source when its module (`postgres-cdc/index.ts`, which
 * registers itself through `registerConnectorPlugin`) is present.
 */
import type { Logger } from 'pino';
import './converters/index.ts';
import './transforms/index.ts';
import './datagen/index.ts';
import './duckdb/index.ts';
import './postgres-sink/index.ts';

let optionalLoaded: Promise<void> | null = null;

/** Optional plugin modules, imported by path so a missing one does not break the build. */
const optionalModules = ['./postgres-cdc/index.ts'];

export function loadOptionalPlugins(logger?: Logger): Promise<void> {
  optionalLoaded ??= (async () => {
    for (const path of optionalModules) {
      try {
        await import(path);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(path.slice(2))) continue;
        logger?.error({ err }, `connector plugin module ${path} failed to load`);
      }
    }
  })();
  return optionalLoaded;
}
