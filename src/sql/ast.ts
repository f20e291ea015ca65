/**
 * Runnel's SQL abstract syntax tree: what `parseSql` returns and the planner
 * consumes.
 *
 * Every node is a frozen plain object tagged with `kind` and carrying `pos`,
 * the line and column where it starts in the SQL text, so later stages can
 * point errors at it. Each category (Statement, Query, Expression, TableRef,
 * DataType, …) is a union; visitors switch on `kind` with a `never` default.
 *
 * Names keep the case the user typed (Flink's identifiers are case-sensitive);
 * keyword-like words the grammar fixes (units, type names, operators) are
 * upper case. The AST is canonical: spellings that mean the same thing parse
 * to the same tree (`!=` and `<>`, `INTEGER` and `INT`, `FETCH FIRST n ROWS
 * ONLY` and `LIMIT n`, `TIMESTAMP_LTZ(3)` and `TIMESTAMP(3) WITH LOCAL TIME
 * ZONE`), and parentheses are not kept: `formatSql` adds them back from
 * operator precedence.
 */

/** Where a node starts: 1-based line and column, 0-based character offset. */
export interface Pos {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

interface NodeBase {
  readonly pos: Pos;
}

/** A single name as written (backquotes removed), e.g. a column or an alias. */
export interface IdentifierNode extends NodeBase {
  readonly kind: 'Identifier';
  readonly value: string;
}

/** A possibly qualified object name: `cat.db.tbl`, `orders`. */
export interface ObjectNameNode extends NodeBase {
  readonly kind: 'ObjectName';
  readonly parts: readonly string[];
}

// ---------------------------------------------------------------- data types

export type SimpleTypeName =
  | 'BOOLEAN'
  | 'TINYINT'
  | 'SMALLINT'
  | 'INT'
  | 'BIGINT'
  | 'FLOAT'
  | 'DOUBLE'
  | 'DATE'
  | 'STRING'
  | 'BYTES';

interface TypeBase extends NodeBase {
  /** `NOT NULL` was written after the type. */
  readonly notNull: boolean;
}

/** Types without parameters. `INTEGER` is `INT`, `REAL` is `FLOAT`, `DOUBLE PRECISION` is `DOUBLE`. */
export interface SimpleTypeNode extends TypeBase {
  readonly kind: 'SimpleType';
  readonly name: SimpleTypeName;
}

/** `DECIMAL`, `DEC` and `NUMERIC`, with optional precision and scale. */
export interface DecimalTypeNode extends TypeBase {
  readonly kind: 'DecimalType';
  readonly precision?: number;
  readonly scale?: number;
}

/** `CHAR(n)`, `VARCHAR(n)`, `BINARY(n)`, `VARBINARY(n)`; `CHARACTER VARYING` is `VARCHAR`. */
export interface StringTypeNode extends TypeBase {
  readonly kind: 'StringType';
  readonly name: 'CHAR' | 'VARCHAR' | 'BINARY' | 'VARBINARY';
  readonly length?: number;
}

/** `TIME(p)` (optionally `WITHOUT TIME ZONE`). */
export interface TimeTypeNode extends TypeBase {
  readonly kind: 'TimeType';
  readonly precision?: number;
}

/** `TIMESTAMP(p)`, or with `withLocalTimeZone` `TIMESTAMP_LTZ(p)` = `TIMESTAMP(p) WITH LOCAL TIME ZONE`. */
export interface TimestampTypeNode extends TypeBase {
  readonly kind: 'TimestampType';
  readonly precision?: number;
  readonly withLocalTimeZone: boolean;
}

/** `INTERVAL DAY(2) TO SECOND(3)`, `INTERVAL YEAR TO MONTH`, `INTERVAL SECOND`. */
export interface IntervalTypeNode extends TypeBase {
  readonly kind: 'IntervalType';
  readonly qualifier: IntervalQualifier;
}

/** `ARRAY<T>` (or `T ARRAY`) and `MULTISET<T>` (or `T MULTISET`). */
export interface CollectionTypeNode extends TypeBase {
  readonly kind: 'CollectionType';
  readonly collection: 'ARRAY' | 'MULTISET';
  readonly element: DataType;
}

export interface MapTypeNode extends TypeBase {
  readonly kind: 'MapType';
  readonly key: DataType;
  readonly value: DataType;
}

export interface RowFieldNode extends NodeBase {
  readonly kind: 'RowField';
  readonly name: IdentifierNode;
  readonly type: DataType;
  readonly comment?: string;
}

/** `ROW<a INT, b STRING>` and `ROW(a INT, b STRING)`. */
export interface RowTypeNode extends TypeBase {
  readonly kind: 'RowType';
  readonly fields: readonly RowFieldNode[];
}

export type DataType =
  | SimpleTypeNode
  | DecimalTypeNode
  | StringTypeNode
  | TimeTypeNode
  | TimestampTypeNode
  | IntervalTypeNode
  | CollectionTypeNode
  | MapTypeNode
  | RowTypeNode;

// ---------------------------------------------------------------- time units

/** Units of intervals, EXTRACT, TIMESTAMPADD and TIMESTAMPDIFF; plurals (`MINUTES`) are stored singular. */
export type TimeUnit =
  | 'MILLENNIUM'
  | 'CENTURY'
  | 'DECADE'
  | 'YEAR'
  | 'ISOYEAR'
  | 'QUARTER'
  | 'MONTH'
  | 'WEEK'
  | 'DAY'
  | 'DOW'
  | 'ISODOW'
  | 'DOY'
  | 'HOUR'
  | 'MINUTE'
  | 'SECOND'
  | 'MILLISECOND'
  | 'MICROSECOND'
  | 'NANOSECOND'
  | 'EPOCH';

/** `DAY(2) TO SECOND(3)`: the leading unit, optionally a trailing one, with precisions. */
export interface IntervalQualifier {
  readonly from: TimeUnit;
  readonly fromPrecision?: number;
  readonly to?: TimeUnit;
  /** Fractional-second precision of `TO SECOND(p)`, or of `SECOND(p, q)`. */
  readonly toPrecision?: number;
}

// ---------------------------------------------------------------- expressions

export interface ColumnRefNode extends NodeBase {
  readonly kind: 'ColumnRef';
  /** `a`, `t.a`, `t.a.b`: the binder decides which parts are table, column, and nested field. */
  readonly path: readonly string[];
}

/** Numbers keep their text: `10`, `0.908`, `1.5E-3`. */
export interface NumericLiteralNode extends NodeBase {
  readonly kind: 'NumericLiteral';
  readonly text: string;
}

export interface StringLiteralNode extends NodeBase {
  readonly kind: 'StringLiteral';
  readonly value: string;
}

export interface BooleanLiteralNode extends NodeBase {
  readonly kind: 'BooleanLiteral';
  readonly value: boolean;
}

export interface NullLiteralNode extends NodeBase {
  readonly kind: 'NullLiteral';
}

/** `DATE '2024-01-01'`, `TIME '12:00:00'`, `TIMESTAMP '…'`, `TIMESTAMP_LTZ '…'`. */
export interface TypedLiteralNode extends NodeBase {
  readonly kind: 'TypedLiteral';
  readonly type: 'DATE' | 'TIME' | 'TIMESTAMP' | 'TIMESTAMP_LTZ';
  readonly value: string;
}

/** `INTERVAL '10' SECOND`, `INTERVAL '1:30' MINUTE TO SECOND`. `value` is the quoted text. */
export interface IntervalLiteralNode extends NodeBase {
  readonly kind: 'IntervalLiteral';
  readonly value: string;
  readonly qualifier: IntervalQualifier;
}

export type UnaryOperator = '-' | '+' | 'NOT';

export interface UnaryNode extends NodeBase {
  readonly kind: 'Unary';
  readonly op: UnaryOperator;
  readonly operand: Expression;
}

export type BinaryOperator =
  | 'OR'
  | 'AND'
  | '='
  | '<>'
  | '<'
  | '<='
  | '>'
  | '>='
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '||';

export interface BinaryNode extends NodeBase {
  readonly kind: 'Binary';
  readonly op: BinaryOperator;
  readonly left: Expression;
  readonly right: Expression;
}

/** `x IS [NOT] NULL | TRUE | FALSE | UNKNOWN`. */
export interface IsNode extends NodeBase {
  readonly kind: 'Is';
  readonly operand: Expression;
  readonly not: boolean;
  readonly test: 'NULL' | 'TRUE' | 'FALSE' | 'UNKNOWN';
}

/** `a IS [NOT] DISTINCT FROM b`. */
export interface IsDistinctFromNode extends NodeBase {
  readonly kind: 'IsDistinctFrom';
  readonly left: Expression;
  readonly right: Expression;
  readonly not: boolean;
}

/** `x [NOT] BETWEEN [SYMMETRIC] low AND high`. */
export interface BetweenNode extends NodeBase {
  readonly kind: 'Between';
  readonly operand: Expression;
  readonly low: Expression;
  readonly high: Expression;
  readonly not: boolean;
  readonly symmetric: boolean;
}

/** `x [NOT] IN (a, b, c)`. */
export interface InListNode extends NodeBase {
  readonly kind: 'InList';
  readonly operand: Expression;
  readonly list: readonly Expression[];
  readonly not: boolean;
}

/** `x [NOT] IN (SELECT …)`. */
export interface InSubqueryNode extends NodeBase {
  readonly kind: 'InSubquery';
  readonly operand: Expression;
  readonly query: QueryNode;
  readonly not: boolean;
}

/** `x [NOT] LIKE p [ESCAPE e]` and `x [NOT] SIMILAR TO p [ESCAPE e]`. */
export interface LikeNode extends NodeBase {
  readonly kind: 'Like';
  readonly operator: 'LIKE' | 'SIMILAR TO';
  readonly operand: Expression;
  readonly pattern: Expression;
  readonly escape?: Expression;
  readonly not: boolean;
}

export interface WhenClause {
  readonly when: Expression;
  readonly then: Expression;
}

/** `CASE [operand] WHEN … THEN … [ELSE …] END`; `operand` is set for the simple form. */
export interface CaseNode extends NodeBase {
  readonly kind: 'Case';
  readonly operand?: Expression;
  readonly whens: readonly WhenClause[];
  readonly else?: Expression;
}

/** `CAST(x AS type)`, or `TRY_CAST(…)` with `try`. */
export interface CastNode extends NodeBase {
  readonly kind: 'Cast';
  readonly operand: Expression;
  readonly type: DataType;
  readonly try: boolean;
}

/**
 * A function call: `UPPER(s)`, `COUNT(*)` (`star`), `COUNT(DISTINCT x)`
 * (`distinct`), `SUM(x) FILTER (WHERE …)`, `SUM(x) OVER (…)`, and niladic
 * SQL functions written without parentheses (`CURRENT_TIMESTAMP`, `noParens`).
 * Legacy group windows (`TUMBLE(ts, INTERVAL …)`, `TUMBLE_START(…)`) are calls too.
 */
export interface FunctionCallNode extends NodeBase {
  readonly kind: 'FunctionCall';
  readonly name: ObjectNameNode;
  readonly args: readonly Expression[];
  readonly distinct: boolean;
  readonly star: boolean;
  readonly noParens: boolean;
  readonly filter?: Expression;
  readonly over?: WindowSpecNode;
}

/** `EXTRACT(HOUR FROM ts)`. */
export interface ExtractNode extends NodeBase {
  readonly kind: 'Extract';
  readonly unit: TimeUnit;
  readonly source: Expression;
}

/** `TIMESTAMPADD(unit, count, ts)` and `TIMESTAMPDIFF(unit, start, end)`. */
export interface TimestampArithNode extends NodeBase {
  readonly kind: 'TimestampArith';
  readonly function: 'TIMESTAMPADD' | 'TIMESTAMPDIFF';
  readonly unit: TimeUnit;
  readonly left: Expression;
  readonly right: Expression;
}

/** `TRIM([BOTH|LEADING|TRAILING] [chars] FROM s)`; `TRIM(s)` is BOTH with no chars. */
export interface TrimNode extends NodeBase {
  readonly kind: 'Trim';
  readonly side: 'BOTH' | 'LEADING' | 'TRAILING';
  readonly characters?: Expression;
  readonly source: Expression;
}

/** `SUBSTRING(s FROM a [FOR b])` and `SUBSTRING(s, a [, b])`. */
export interface SubstringNode extends NodeBase {
  readonly kind: 'Substring';
  readonly source: Expression;
  readonly start: Expression;
  readonly length?: Expression;
}

/** `POSITION(needle IN haystack)`. */
export interface PositionNode extends NodeBase {
  readonly kind: 'Position';
  readonly needle: Expression;
  readonly haystack: Expression;
}

/** `OVERLAY(s PLACING r FROM a [FOR b])`. */
export interface OverlayNode extends NodeBase {
  readonly kind: 'Overlay';
  readonly source: Expression;
  readonly placing: Expression;
  readonly start: Expression;
  readonly length?: Expression;
}

/** `ARRAY[a, b]`. */
export interface ArrayConstructorNode extends NodeBase {
  readonly kind: 'ArrayConstructor';
  readonly elements: readonly Expression[];
}

export interface MapEntry {
  readonly key: Expression;
  readonly value: Expression;
}

/** `MAP[k1, v1, k2, v2]`. */
export interface MapConstructorNode extends NodeBase {
  readonly kind: 'MapConstructor';
  readonly entries: readonly MapEntry[];
}

/** `ROW(a, b)`, or `(a, b)` when `explicit` is false. */
export interface RowConstructorNode extends NodeBase {
  readonly kind: 'RowConstructor';
  readonly fields: readonly Expression[];
  readonly explicit: boolean;
}

/** `x[i]` on arrays and maps. */
export interface IndexNode extends NodeBase {
  readonly kind: 'Index';
  readonly operand: Expression;
  readonly index: Expression;
}

/** `.field` after something that is not a plain name: `x[1].f`, `f(a).g`. */
export interface FieldAccessNode extends NodeBase {
  readonly kind: 'FieldAccess';
  readonly operand: Expression;
  readonly field: string;
}

/** `(SELECT …)` used as a value. */
export interface ScalarSubqueryNode extends NodeBase {
  readonly kind: 'ScalarSubquery';
  readonly query: QueryNode;
}

/** `EXISTS (SELECT …)`; `NOT EXISTS` is a Unary NOT around it. */
export interface ExistsNode extends NodeBase {
  readonly kind: 'Exists';
  readonly query: QueryNode;
}

/** `DESCRIPTOR(ts)`: names columns for window table functions. */
export interface DescriptorNode extends NodeBase {
  readonly kind: 'Descriptor';
  readonly columns: readonly IdentifierNode[];
}

export type Expression =
  | ColumnRefNode
  | NumericLiteralNode
  | StringLiteralNode
  | BooleanLiteralNode
  | NullLiteralNode
  | TypedLiteralNode
  | IntervalLiteralNode
  | UnaryNode
  | BinaryNode
  | IsNode
  | IsDistinctFromNode
  | BetweenNode
  | InListNode
  | InSubqueryNode
  | LikeNode
  | CaseNode
  | CastNode
  | FunctionCallNode
  | ExtractNode
  | TimestampArithNode
  | TrimNode
  | SubstringNode
  | PositionNode
  | OverlayNode
  | ArrayConstructorNode
  | MapConstructorNode
  | RowConstructorNode
  | IndexNode
  | FieldAccessNode
  | ScalarSubqueryNode
  | ExistsNode
  | DescriptorNode;

// ---------------------------------------------------------------- windows

export interface FrameBound {
  readonly type: 'UNBOUNDED PRECEDING' | 'PRECEDING' | 'CURRENT ROW' | 'FOLLOWING' | 'UNBOUNDED FOLLOWING';
  /** The `n` or `INTERVAL …` of `n PRECEDING` / `n FOLLOWING`. */
  readonly offset?: Expression;
}

/** `ROWS|RANGE BETWEEN start AND end`; `ROWS start` alone means `… AND CURRENT ROW`. */
export interface WindowFrame {
  readonly units: 'ROWS' | 'RANGE';
  readonly start: FrameBound;
  readonly end: FrameBound;
}

/**
 * `OVER (PARTITION BY … ORDER BY … frame)`, or `OVER w` (then only
 * `baseWindow` is set and `reference` is true), or `OVER (w ORDER BY …)`.
 */
export interface WindowSpecNode extends NodeBase {
  readonly kind: 'WindowSpec';
  readonly baseWindow?: IdentifierNode;
  /** Written as `OVER w`, without parentheses. */
  readonly reference: boolean;
  readonly partitionBy: readonly Expression[];
  readonly orderBy: readonly OrderItemNode[];
  readonly frame?: WindowFrame;
}

/** One entry of the `WINDOW w AS (…)` clause. */
export interface NamedWindowNode extends NodeBase {
  readonly kind: 'NamedWindow';
  readonly name: IdentifierNode;
  readonly spec: WindowSpecNode;
}

export interface OrderItemNode extends NodeBase {
  readonly kind: 'OrderItem';
  readonly expr: Expression;
  readonly direction: 'ASC' | 'DESC';
  readonly nulls?: 'FIRST' | 'LAST';
}

// ---------------------------------------------------------------- queries

/** `expr [AS alias]` in a select list. */
export interface SelectExprNode extends NodeBase {
  readonly kind: 'SelectExpr';
  readonly expr: Expression;
  readonly alias?: IdentifierNode;
}

/** `*` or `t.*` in a select list. */
export interface WildcardNode extends NodeBase {
  readonly kind: 'Wildcard';
  readonly qualifier?: readonly string[];
}

export type SelectItem = SelectExprNode | WildcardNode;

/** `GROUPING SETS ((a, b), (a), ())`. */
export interface GroupingSetsNode extends NodeBase {
  readonly kind: 'GroupingSets';
  readonly sets: readonly (readonly Expression[])[];
}

/** `ROLLUP (a, b)` and `CUBE (a, b)`. */
export interface RollupCubeNode extends NodeBase {
  readonly kind: 'Rollup' | 'Cube';
  readonly exprs: readonly Expression[];
}

export type GroupingElement = Expression | GroupingSetsNode | RollupCubeNode;

export interface SelectNode extends NodeBase {
  readonly kind: 'Select';
  readonly distinct: boolean;
  readonly items: readonly SelectItem[];
  readonly from?: TableRef;
  readonly where?: Expression;
  readonly groupBy: readonly GroupingElement[];
  readonly having?: Expression;
  readonly windows: readonly NamedWindowNode[];
}

/** `VALUES (1, 'a'), (2, 'b')`. */
export interface ValuesNode extends NodeBase {
  readonly kind: 'Values';
  readonly rows: readonly (readonly Expression[])[];
}

/** `left UNION [ALL] right`, `INTERSECT`, `EXCEPT` (left-associative; INTERSECT binds tighter). */
export interface SetOperationNode extends NodeBase {
  readonly kind: 'SetOperation';
  readonly op: 'UNION' | 'INTERSECT' | 'EXCEPT';
  readonly all: boolean;
  readonly left: QueryBody;
  readonly right: QueryBody;
}

export type QueryBody = SelectNode | ValuesNode | SetOperationNode | QueryNode;

/** `name [(columns)] AS (query)` inside WITH. */
export interface CteNode extends NodeBase {
  readonly kind: 'Cte';
  readonly name: IdentifierNode;
  readonly columns: readonly IdentifierNode[];
  readonly query: QueryNode;
}

/**
 * A complete query: `[WITH …] body [ORDER BY …] [LIMIT n] [OFFSET m]`.
 * Subqueries anywhere are QueryNodes; a parenthesized query with its own
 * ORDER BY or LIMIT appears as a QueryNode body.
 */
export interface QueryNode extends NodeBase {
  readonly kind: 'Query';
  readonly with: readonly CteNode[];
  readonly body: QueryBody;
  readonly orderBy: readonly OrderItemNode[];
  readonly limit?: Expression;
  readonly offset?: Expression;
}

// ---------------------------------------------------------------- FROM

interface AliasedRef extends NodeBase {
  readonly alias?: IdentifierNode;
  /** `AS t(a, b)`. */
  readonly columnAliases: readonly IdentifierNode[];
}

/** A table or view by name, optionally `FOR SYSTEM_TIME AS OF expr` (temporal join). */
export interface TableNameRefNode extends AliasedRef {
  readonly kind: 'TableName';
  readonly name: ObjectNameNode;
  readonly systemTimeAsOf?: Expression;
}

/** `(SELECT …) [AS] alias`, or `LATERAL (SELECT …)`. */
export interface DerivedTableNode extends AliasedRef {
  readonly kind: 'DerivedTable';
  readonly query: QueryNode;
  readonly lateral: boolean;
}

/** `TABLE t [PARTITION BY k | (k1, k2)]` passed to a table function. */
export interface TableArgNode extends NodeBase {
  readonly kind: 'TableArg';
  readonly table: ObjectNameNode;
  readonly partitionBy: readonly Expression[];
}

/** One table-function argument, positional or `NAME => value`. */
export interface TableFunctionArgNode extends NodeBase {
  readonly kind: 'TableFunctionArg';
  readonly name?: IdentifierNode;
  readonly value: Expression | TableArgNode;
}

/**
 * `TABLE(fn(args))` and `LATERAL TABLE(fn(args))`. Window TVFs are this node
 * with `name` TUMBLE, HOP, CUMULATE or SESSION, e.g.
 * `TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))`.
 */
export interface TableFunctionRefNode extends AliasedRef {
  readonly kind: 'TableFunction';
  readonly name: ObjectNameNode;
  readonly args: readonly TableFunctionArgNode[];
  readonly lateral: boolean;
}

/** `UNNEST(arr) [WITH ORDINALITY] AS t(x)`. */
export interface UnnestRefNode extends AliasedRef {
  readonly kind: 'Unnest';
  readonly exprs: readonly Expression[];
  readonly withOrdinality: boolean;
}

/** `COMMA` is the old-style `FROM a, b` (a cross join whose condition is in WHERE). */
export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS' | 'COMMA';

export interface JoinNode extends NodeBase {
  readonly kind: 'Join';
  readonly type: JoinType;
  readonly natural: boolean;
  readonly left: TableRef;
  readonly right: TableRef;
  readonly on?: Expression;
  readonly using: readonly IdentifierNode[];
}

export type TableRef = TableNameRefNode | DerivedTableNode | TableFunctionRefNode | UnnestRefNode | JoinNode;

// ---------------------------------------------------------------- DDL pieces

/** `'key' = 'value'` in WITH (…) and SET (…). */
export interface TableOptionNode extends NodeBase {
  readonly kind: 'TableOption';
  readonly key: string;
  readonly value: string;
}

/** `name type [NOT NULL] [COMMENT '…']`. */
export interface PhysicalColumnNode extends NodeBase {
  readonly kind: 'PhysicalColumn';
  readonly name: IdentifierNode;
  readonly type: DataType;
  readonly comment?: string;
}

/** `name AS expr [COMMENT '…']`. */
export interface ComputedColumnNode extends NodeBase {
  readonly kind: 'ComputedColumn';
  readonly name: IdentifierNode;
  readonly expr: Expression;
  readonly comment?: string;
}

/** `name type METADATA [FROM 'key'] [VIRTUAL] [COMMENT '…']`. */
export interface MetadataColumnNode extends NodeBase {
  readonly kind: 'MetadataColumn';
  readonly name: IdentifierNode;
  readonly type: DataType;
  readonly metadataKey?: string;
  readonly virtual: boolean;
  readonly comment?: string;
}

export type ColumnDef = PhysicalColumnNode | ComputedColumnNode | MetadataColumnNode;

/** `WATERMARK FOR col AS expr`. */
export interface WatermarkNode extends NodeBase {
  readonly kind: 'Watermark';
  readonly column: IdentifierNode;
  readonly strategy: Expression;
}

/** `[CONSTRAINT name] PRIMARY KEY (cols) NOT ENFORCED`; a column-level key becomes this too. */
export interface PrimaryKeyNode extends NodeBase {
  readonly kind: 'PrimaryKey';
  readonly constraintName?: IdentifierNode;
  readonly columns: readonly IdentifierNode[];
}

/** `DISTRIBUTED BY [HASH] (cols) [INTO n BUCKETS]` or `DISTRIBUTED INTO n BUCKETS`. */
export interface DistributionNode extends NodeBase {
  readonly kind: 'Distribution';
  /** `HASH`, `RANGE` or another algorithm name as written upper-cased; absent when not given. */
  readonly algorithm?: string;
  readonly columns: readonly IdentifierNode[];
  readonly buckets?: number;
}

export type LikeOptionKind = 'INCLUDING' | 'EXCLUDING' | 'OVERWRITING';
export type LikeOptionFeature =
  | 'ALL'
  | 'CONSTRAINTS'
  | 'PARTITIONS'
  | 'GENERATED'
  | 'OPTIONS'
  | 'WATERMARKS'
  | 'METADATA';

/** `LIKE source (INCLUDING ALL EXCLUDING OPTIONS …)`. */
export interface LikeClauseNode extends NodeBase {
  readonly kind: 'LikeClause';
  readonly source: ObjectNameNode;
  readonly options: readonly { readonly kind: LikeOptionKind; readonly feature: LikeOptionFeature }[];
}

// ---------------------------------------------------------------- statements

/** `INSERT INTO|OVERWRITE t [(cols)] query`. */
export interface InsertNode extends NodeBase {
  readonly kind: 'Insert';
  readonly table: ObjectNameNode;
  readonly overwrite: boolean;
  readonly columns: readonly IdentifierNode[];
  readonly query: QueryNode;
}

/** `EXECUTE STATEMENT SET BEGIN insert; insert; END`. */
export interface StatementSetNode extends NodeBase {
  readonly kind: 'StatementSet';
  readonly inserts: readonly InsertNode[];
}

/**
 * `CREATE [TEMPORARY] TABLE [IF NOT EXISTS] t (…) [COMMENT] [DISTRIBUTED …]
 * [PARTITIONED BY (…)] [WITH (…)] [LIKE src (…) | AS query]`.
 */
export interface CreateTableNode extends NodeBase {
  readonly kind: 'CreateTable';
  readonly name: ObjectNameNode;
  readonly temporary: boolean;
  readonly ifNotExists: boolean;
  readonly columns: readonly ColumnDef[];
  readonly watermark?: WatermarkNode;
  readonly primaryKey?: PrimaryKeyNode;
  readonly comment?: string;
  readonly distribution?: DistributionNode;
  readonly partitionedBy: readonly IdentifierNode[];
  readonly options: readonly TableOptionNode[];
  readonly like?: LikeClauseNode;
  /** CREATE TABLE … AS SELECT. */
  readonly asQuery?: QueryNode;
}

/** `CREATE [TEMPORARY] VIEW [IF NOT EXISTS] v [(cols)] [COMMENT '…'] AS query`. */
export interface CreateViewNode extends NodeBase {
  readonly kind: 'CreateView';
  readonly name: ObjectNameNode;
  readonly temporary: boolean;
  readonly ifNotExists: boolean;
  readonly columns: readonly IdentifierNode[];
  readonly comment?: string;
  readonly query: QueryNode;
}

/** `CREATE [TEMPORARY [SYSTEM]] FUNCTION [IF NOT EXISTS] f AS 'class' [LANGUAGE l] [USING JAR '…', …]`. */
export interface CreateFunctionNode extends NodeBase {
  readonly kind: 'CreateFunction';
  readonly name: ObjectNameNode;
  readonly temporary: boolean;
  readonly system: boolean;
  readonly ifNotExists: boolean;
  readonly className: string;
  readonly language?: string;
  readonly jars: readonly string[];
}

/** A piece of an ALTER TABLE ADD or MODIFY list. */
export type SchemaComponent = ColumnDef | WatermarkNode | PrimaryKeyNode;

export type AlterTableAction =
  | { readonly pos: Pos; readonly kind: 'AddComponents'; readonly components: readonly SchemaComponent[] }
  | { readonly pos: Pos; readonly kind: 'ModifyComponents'; readonly components: readonly SchemaComponent[] }
  | { readonly pos: Pos; readonly kind: 'DropColumns'; readonly columns: readonly IdentifierNode[] }
  | { readonly pos: Pos; readonly kind: 'DropPrimaryKey' }
  | { readonly pos: Pos; readonly kind: 'DropConstraint'; readonly name: IdentifierNode }
  | { readonly pos: Pos; readonly kind: 'DropWatermark' }
  | { readonly pos: Pos; readonly kind: 'SetOptions'; readonly options: readonly TableOptionNode[] }
  | { readonly pos: Pos; readonly kind: 'ResetOptions'; readonly keys: readonly string[] }
  | { readonly pos: Pos; readonly kind: 'RenameTable'; readonly newName: ObjectNameNode }
  | { readonly pos: Pos; readonly kind: 'RenameColumn'; readonly from: IdentifierNode; readonly to: IdentifierNode };

export interface AlterTableNode extends NodeBase {
  readonly kind: 'AlterTable';
  readonly name: ObjectNameNode;
  readonly ifExists: boolean;
  readonly action: AlterTableAction;
}

/** `DROP [TEMPORARY] TABLE|VIEW|FUNCTION [IF EXISTS] name`. */
export interface DropNode extends NodeBase {
  readonly kind: 'Drop';
  readonly objectType: 'TABLE' | 'VIEW' | 'FUNCTION';
  readonly temporary: boolean;
  readonly ifExists: boolean;
  readonly name: ObjectNameNode;
}

export type ShowObjects = 'TABLES' | 'VIEWS' | 'FUNCTIONS' | 'STATEMENTS' | 'CATALOGS' | 'DATABASES' | 'JOBS';

/** `SHOW TABLES [FROM|IN db] [[NOT] LIKE 'pattern']` and friends. */
export interface ShowNode extends NodeBase {
  readonly kind: 'Show';
  readonly objects: ShowObjects;
  readonly from?: ObjectNameNode;
  readonly like?: { readonly not: boolean; readonly pattern: string };
}

/** `SHOW CREATE TABLE|VIEW name`. */
export interface ShowCreateNode extends NodeBase {
  readonly kind: 'ShowCreate';
  readonly objectType: 'TABLE' | 'VIEW';
  readonly name: ObjectNameNode;
}

/** `DESCRIBE [EXTENDED] t` (also `DESC`). */
export interface DescribeNode extends NodeBase {
  readonly kind: 'Describe';
  readonly extended: boolean;
  readonly name: ObjectNameNode;
}

export type ExplainDetail = 'ESTIMATED_COST' | 'CHANGELOG_MODE' | 'PLAN_ADVICE' | 'JSON_EXECUTION_PLAN';

/** `EXPLAIN [PLAN FOR] stmt` and `EXPLAIN CHANGELOG_MODE, … stmt`. */
export interface ExplainNode extends NodeBase {
  readonly kind: 'Explain';
  readonly details: readonly ExplainDetail[];
  readonly statement: QueryNode | InsertNode | StatementSetNode | CreateTableNode;
}

/** `SET 'key' = 'value'`, or bare `SET` (list settings) when `key` is absent. */
export interface SetNode extends NodeBase {
  readonly kind: 'Set';
  readonly key?: string;
  readonly value?: string;
}

/** `RESET 'key'`, or bare `RESET` (all settings). */
export interface ResetNode extends NodeBase {
  readonly kind: 'Reset';
  readonly key?: string;
}

/** `USE CATALOG c` or `USE [c.]db`. */
export interface UseNode extends NodeBase {
  readonly kind: 'Use';
  readonly catalog: boolean;
  readonly name: ObjectNameNode;
}

/** `STOP STATEMENT 'name' [WITH SAVEPOINT]` (Runnel's extension). */
export interface StopStatementNode extends NodeBase {
  readonly kind: 'StopStatement';
  readonly name: string;
  readonly withSavepoint: boolean;
}

/** `RESUME STATEMENT 'name'`: a stopped statement continues from its savepoint or last checkpoint (Runnel's extension). */
export interface ResumeStatementNode extends NodeBase {
  readonly kind: 'ResumeStatement';
  readonly name: string;
}

export type Statement =
  | QueryNode
  | InsertNode
  | StatementSetNode
  | CreateTableNode
  | CreateViewNode
  | CreateFunctionNode
  | AlterTableNode
  | DropNode
  | ShowNode
  | ShowCreateNode
  | DescribeNode
  | ExplainNode
  | SetNode
  | ResetNode
  | UseNode
  | StopStatementNode
  | ResumeStatementNode;
