/** Statements → SQL text, on one line, in the canonical spelling of each clause. */
import type {
  AlterTableAction,
  ColumnDef,
  CreateTableNode,
  InsertNode,
  SchemaComponent,
  Statement,
  TableOptionNode,
} from '../ast.ts';
import { formatDataType } from './data-type.ts';
import { formatExpression } from './expression.ts';
import { formatObjectName, quoteName, quoteString } from './names.ts';
import { formatQuery } from './query.ts';

function names(list: readonly { readonly value: string }[]): string {
  return `(${list.map((i) => quoteName(i.value)).join(', ')})`;
}

function options(list: readonly TableOptionNode[]): string {
  return `(${list.map((o) => `${quoteString(o.key)} = ${quoteString(o.value)}`).join(', ')})`;
}

function comment(text: string | undefined): string {
  return text === undefined ? '' : ` COMMENT ${quoteString(text)}`;
}

function formatColumn(c: ColumnDef): string {
  const name = quoteName(c.name.value);
  switch (c.kind) {
    case 'PhysicalColumn':
      return `${name} ${formatDataType(c.type)}${comment(c.comment)}`;
    case 'ComputedColumn':
      return `${name} AS ${formatExpression(c.expr)}${comment(c.comment)}`;
    case 'MetadataColumn': {
      const from = c.metadataKey === undefined ? '' : ` FROM ${quoteString(c.metadataKey)}`;
      return `${name} ${formatDataType(c.type)} METADATA${from}${c.virtual ? ' VIRTUAL' : ''}${comment(c.comment)}`;
    }
    default: {
      const never: never = c;
      throw new Error(`unknown column ${JSON.stringify(never)}`);
    }
  }
}

function formatComponent(c: SchemaComponent): string {
  switch (c.kind) {
    case 'Watermark':
      return `WATERMARK FOR ${quoteName(c.column.value)} AS ${formatExpression(c.strategy)}`;
    case 'PrimaryKey': {
      const constraint = c.constraintName === undefined ? '' : `CONSTRAINT ${quoteName(c.constraintName.value)} `;
      return `${constraint}PRIMARY KEY ${names(c.columns)} NOT ENFORCED`;
    }
    default:
      return formatColumn(c);
  }
}

function formatCreateTable(s: CreateTableNode): string {
  const parts = [`CREATE ${s.temporary ? 'TEMPORARY ' : ''}TABLE ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${formatObjectName(s.name)}`];
  const elements: SchemaComponent[] = [...s.columns];
  if (s.watermark !== undefined) elements.push(s.watermark);
  if (s.primaryKey !== undefined) elements.push(s.primaryKey);
  if (elements.length > 0) parts.push(`(${elements.map(formatComponent).join(', ')})`);
  if (s.comment !== undefined) parts.push(`COMMENT ${quoteString(s.comment)}`);
  const d = s.distribution;
  if (d !== undefined) {
    const by = d.columns.length === 0 ? '' : ` BY ${d.algorithm === undefined ? '' : quoteName(d.algorithm)}${names(d.columns)}`;
    const into = d.buckets === undefined ? '' : ` INTO ${d.buckets} BUCKETS`;
    parts.push(`DISTRIBUTED${by}${into}`);
  }
  if (s.partitionedBy.length > 0) parts.push(`PARTITIONED BY ${names(s.partitionedBy)}`);
  if (s.options.length > 0) parts.push(`WITH ${options(s.options)}`);
  if (s.like !== undefined) {
    const likeOptions = s.like.options.map((o) => `${o.kind} ${o.feature}`).join(' ');
    parts.push(`LIKE ${formatObjectName(s.like.source)}${likeOptions === '' ? '' : ` (${likeOptions})`}`);
  }
  if (s.asQuery !== undefined) parts.push(`AS ${formatQuery(s.asQuery)}`);
  return parts.join(' ');
}

function formatInsert(s: InsertNode): string {
  const columns = s.columns.length === 0 ? '' : ` ${names(s.columns)}`;
  return `INSERT ${s.overwrite ? 'OVERWRITE' : 'INTO'} ${formatObjectName(s.table)}${columns} ${formatQuery(s.query)}`;
}

function formatAlterAction(a: AlterTableAction): string {
  switch (a.kind) {
    case 'AddComponents':
      return `ADD (${a.components.map(formatComponent).join(', ')})`;
    case 'ModifyComponents':
      return `MODIFY (${a.components.map(formatComponent).join(', ')})`;
    case 'DropColumns':
      return `DROP ${names(a.columns)}`;
    case 'DropPrimaryKey':
      return 'DROP PRIMARY KEY';
    case 'DropConstraint':
      return `DROP CONSTRAINT ${quoteName(a.name.value)}`;
    case 'DropWatermark':
      return 'DROP WATERMARK';
    case 'SetOptions':
      return `SET ${options(a.options)}`;
    case 'ResetOptions':
      return `RESET (${a.keys.map(quoteString).join(', ')})`;
    case 'RenameTable':
      return `RENAME TO ${formatObjectName(a.newName)}`;
    case 'RenameColumn':
      return `RENAME ${quoteName(a.from.value)} TO ${quoteName(a.to.value)}`;
    default: {
      const never: never = a;
      throw new Error(`unknown ALTER TABLE action ${JSON.stringify(never)}`);
    }
  }
}

export function formatStatement(s: Statement): string {
  switch (s.kind) {
    case 'Query':
      return formatQuery(s);
    case 'Insert':
      return formatInsert(s);
    case 'StatementSet':
      return `EXECUTE STATEMENT SET BEGIN ${s.inserts.map((i) => `${formatInsert(i)}; `).join('')}END`;
    case 'CreateTable':
      return formatCreateTable(s);
    case 'CreateView': {
      const cols = s.columns.length === 0 ? '' : ` ${names(s.columns)}`;
      return `CREATE ${s.temporary ? 'TEMPORARY ' : ''}VIEW ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${formatObjectName(s.name)}${cols}${comment(s.comment)} AS ${formatQuery(s.query)}`;
    }
    case 'CreateFunction': {
      const scope = s.temporary ? (s.system ? 'TEMPORARY SYSTEM ' : 'TEMPORARY ') : '';
      const language = s.language === undefined ? '' : ` LANGUAGE ${s.language}`;
      const jars = s.jars.length === 0 ? '' : ` USING ${s.jars.map((j) => `JAR ${quoteString(j)}`).join(', ')}`;
      return `CREATE ${scope}FUNCTION ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${formatObjectName(s.name)} AS ${quoteString(s.className)}${language}${jars}`;
    }
    case 'AlterTable':
      return `ALTER TABLE ${s.ifExists ? 'IF EXISTS ' : ''}${formatObjectName(s.name)} ${formatAlterAction(s.action)}`;
    case 'Drop':
      return `DROP ${s.temporary ? 'TEMPORARY ' : ''}${s.objectType} ${s.ifExists ? 'IF EXISTS ' : ''}${formatObjectName(s.name)}`;
    case 'Show': {
      const from = s.from === undefined ? '' : ` FROM ${formatObjectName(s.from)}`;
      const like = s.like === undefined ? '' : ` ${s.like.not ? 'NOT ' : ''}LIKE ${quoteString(s.like.pattern)}`;
      return `SHOW ${s.objects}${from}${like}`;
    }
    case 'ShowCreate':
      return `SHOW CREATE ${s.objectType} ${formatObjectName(s.name)}`;
    case 'Describe':
      return `DESCRIBE ${s.extended ? 'EXTENDED ' : ''}${formatObjectName(s.name)}`;
    case 'Explain':
      return `EXPLAIN ${s.details.length === 0 ? '' : `${s.details.join(', ')} `}${formatStatement(s.statement)}`;
    case 'Set':
      return s.key === undefined ? 'SET' : `SET ${quoteString(s.key)} = ${quoteString(s.value ?? '')}`;
    case 'Reset':
      return s.key === undefined ? 'RESET' : `RESET ${quoteString(s.key)}`;
    case 'Use':
      return `USE ${s.catalog ? 'CATALOG ' : ''}${formatObjectName(s.name)}`;
    case 'StopStatement':
      return `STOP STATEMENT ${quoteString(s.name)}${s.withSavepoint ? ' WITH SAVEPOINT' : ''}`;
    case 'ResumeStatement':
      return `RESUME STATEMENT ${quoteString(s.name)}`;
    default: {
      const never: never = s;
      throw new Error(`unknown statement ${JSON.stringify(never)}`);
    }
  }
}
