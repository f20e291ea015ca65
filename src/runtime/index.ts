/**
 * The SQL runtime: the catalog over the schema registry, statements (stored, started, resumed
 * after restarts), DDL, and transient queries. It is the wiring layer of the SQL stack (STYLE.md
 * rule 1): it knows the parser, the planner, the operators and the topic connectors.
 */
export { SqlRuntime, UnsupportedStatementError, UnknownObjectError, StatementNotFoundError } from './sql-runtime.ts';
export type { ExecuteResult, SqlRuntimeOptions, QueryRun } from './sql-runtime.ts';
export { RegistryCatalog, CatalogError, CATALOG_TOPIC } from './catalog.ts';
export type { CatalogEntry, TableEntry, ViewEntry, ResolvedTable, ColumnOrigin } from './catalog.ts';
export { StatementManager, StatementError, STATEMENTS_TOPIC, OFFSETS_TOPIC } from './statements.ts';
export type { StatementInfo, StatementRecord, StatementStatus, StatementMetrics } from './statements.ts';
export { DdlError } from './ddl.ts';
export { SessionError, PROPERTY_DEFAULTS, parseDurationMs } from './session.ts';
export type { SessionProperties } from './session.ts';
export { PlannerUnavailableError } from './planner-api.ts';
export { changeRows, jsonValue } from './result-rows.ts';
export type { ChangeRow, ChangeOp } from './result-rows.ts';
export { KvLog } from './kv-log.ts';
