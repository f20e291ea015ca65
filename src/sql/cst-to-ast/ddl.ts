/** CST → AST for CREATE TABLE / VIEW / FUNCTION and ALTER TABLE. */
import type { CstNode } from 'chevrotain';
import type {
  AlterTableAction,
  AlterTableNode,
  ColumnDef,
  CreateFunctionNode,
  CreateTableNode,
  CreateViewNode,
  DistributionNode,
  LikeClauseNode,
  LikeOptionFeature,
  LikeOptionKind,
  PrimaryKeyNode,
  SchemaComponent,
  Statement,
  TableOptionNode,
  WatermarkNode,
} from '../ast.ts';
import {
  failAtPos,
  has,
  identifier,
  integerValue,
  nameList,
  need,
  needToken,
  node,
  nodes,
  objectName,
  posOf,
  posOfToken,
  stringValue,
  token,
  tokens,
} from './access.ts';
import { dataType } from './data-types.ts';
import { expression } from './expressions.ts';
import { query } from './queries.ts';

/** A `createStatement` rule node. */
export function createStatement(n: CstNode): Statement {
  const temporary = has(n, 'TEMPORARY');
  const table = node(n, 'createTableBody');
  if (table !== undefined) return createTable(table, temporary, posOf(n));
  const view = node(n, 'createViewBody');
  if (view !== undefined) return createView(view, temporary, posOf(n));
  return createFunction(need(n, 'createFunctionBody'), temporary, has(n, 'SYSTEM'), posOf(n));
}

function optionalString(n: CstNode, key: string): string | undefined {
  const t = token(n, key);
  return t === undefined ? undefined : stringValue(t);
}

function createTable(n: CstNode, temporary: boolean, pos: CreateTableNode['pos']): CreateTableNode {
  const components = nodes(n, 'tableElement').flatMap(tableElement);
  const columns: ColumnDef[] = [];
  let watermark: WatermarkNode | undefined;
  let primaryKey: PrimaryKeyNode | undefined;
  for (const c of components) {
    if (c.kind === 'Watermark') {
      if (watermark !== undefined) failAtPos(c.pos, 'a table can have only one WATERMARK', 'WATERMARK', 'one WATERMARK');
      watermark = c;
    } else if (c.kind === 'PrimaryKey') {
      if (primaryKey !== undefined) failAtPos(c.pos, 'a table can have only one PRIMARY KEY', 'PRIMARY KEY', 'one PRIMARY KEY');
      primaryKey = c;
    } else {
      columns.push(c);
    }
  }
  const distribution = node(n, 'distribution');
  const optionList = node(n, 'optionList');
  const like = node(n, 'likeClause');
  const asQuery = node(n, 'query');
  return {
    kind: 'CreateTable',
    name: objectName(need(n, 'objectName')),
    temporary,
    ifNotExists: has(n, 'ifNotExists'),
    columns,
    watermark,
    primaryKey,
    comment: optionalString(n, 'comment'),
    distribution: distribution === undefined ? undefined : distributionOf(distribution),
    partitionedBy: nameList(node(n, 'partitionedBy')),
    options: optionList === undefined ? [] : tableOptions(optionList),
    like: like === undefined ? undefined : likeClause(like),
    asQuery: asQuery === undefined ? undefined : query(asQuery),
    pos,
  };
}

/** A `tableElement` rule node; a column with an inline PRIMARY KEY yields the column and the key. */
function tableElement(n: CstNode): SchemaComponent[] {
  const wm = node(n, 'watermarkDefinition');
  if (wm !== undefined) {
    return [
      {
        kind: 'Watermark',
        column: identifier(need(wm, 'identifier')),
        strategy: expression(need(wm, 'expression')),
        pos: posOf(wm),
      },
    ];
  }
  const pk = node(n, 'primaryKeyConstraint');
  if (pk !== undefined) return [primaryKeyOf(pk, nameList(node(pk, 'nameList')))];
  return columnDefinition(need(n, 'columnDefinition'));
}

function primaryKeyOf(n: CstNode, columns: PrimaryKeyNode['columns']): PrimaryKeyNode {
  const name = node(n, 'constraintName');
  return {
    kind: 'PrimaryKey',
    constraintName: name === undefined ? undefined : identifier(name),
    columns,
    pos: posOf(n),
  };
}

function columnDefinition(n: CstNode): SchemaComponent[] {
  const name = identifier(need(n, 'columnName'));
  const comment = optionalString(n, 'comment');
  const pos = posOf(n);
  const computed = node(n, 'expression');
  if (computed !== undefined) return [{ kind: 'ComputedColumn', name, expr: expression(computed), comment, pos }];
  const type = dataType(need(n, 'dataType'));
  if (has(n, 'METADATA')) {
    return [
      {
        kind: 'MetadataColumn',
        name,
        type,
        metadataKey: optionalString(n, 'metadataKey'),
        virtual: has(n, 'VIRTUAL'),
        comment,
        pos,
      },
    ];
  }
  const column: ColumnDef = { kind: 'PhysicalColumn', name, type, comment, pos };
  const inlineKey = node(n, 'columnPrimaryKey');
  return inlineKey === undefined ? [column] : [column, primaryKeyOf(inlineKey, [name])];
}

function distributionOf(n: CstNode): DistributionNode {
  const algorithm = node(n, 'algorithm');
  const buckets = token(n, 'buckets');
  return {
    kind: 'Distribution',
    algorithm: algorithm === undefined ? undefined : identifier(algorithm).value.toUpperCase(),
    columns: nameList(node(n, 'nameList')),
    buckets: buckets === undefined ? undefined : integerValue(buckets, 'the number of buckets'),
    pos: posOf(n),
  };
}

/** An `optionList` rule node: `('k' = 'v', …)`. */
function tableOptions(n: CstNode): TableOptionNode[] {
  return nodes(n, 'tableOption').map((o) => ({
    kind: 'TableOption',
    key: stringValue(needToken(o, 'key')),
    value: stringValue(needToken(o, 'value')),
    pos: posOf(o),
  }));
}

function likeClause(n: CstNode): LikeClauseNode {
  return {
    kind: 'LikeClause',
    source: objectName(need(n, 'objectName')),
    options: nodes(n, 'likeOption').map((o) => ({
      kind: needToken(o, 'mode').image.toUpperCase() as LikeOptionKind,
      feature: needToken(o, 'feature').image.toUpperCase() as LikeOptionFeature,
    })),
    pos: posOf(n),
  };
}

function createView(n: CstNode, temporary: boolean, pos: CreateViewNode['pos']): CreateViewNode {
  return {
    kind: 'CreateView',
    name: objectName(need(n, 'objectName')),
    temporary,
    ifNotExists: has(n, 'ifNotExists'),
    columns: nameList(node(n, 'nameList')),
    comment: optionalString(n, 'comment'),
    query: query(need(n, 'query')),
    pos,
  };
}

function createFunction(n: CstNode, temporary: boolean, system: boolean, pos: CreateFunctionNode['pos']): CreateFunctionNode {
  const language = node(n, 'language');
  return {
    kind: 'CreateFunction',
    name: objectName(need(n, 'objectName')),
    temporary,
    system,
    ifNotExists: has(n, 'ifNotExists'),
    className: stringValue(needToken(n, 'className')),
    language: language === undefined ? undefined : identifier(language).value.toUpperCase(),
    jars: tokens(n, 'jar').map(stringValue),
    pos,
  };
}

/** An `alterTableStatement` rule node. */
export function alterTable(n: CstNode): AlterTableNode {
  return {
    kind: 'AlterTable',
    name: objectName(need(n, 'objectName')),
    ifExists: has(n, 'ifExists'),
    action: alterAction(n),
    pos: posOf(n),
  };
}

function alterAction(n: CstNode): AlterTableAction {
  const verb = token(n, 'verb');
  const components = node(n, 'schemaComponents');
  if (verb !== undefined && components !== undefined) {
    const list = nodes(components, 'tableElement').flatMap(tableElement);
    const pos = posOf(components);
    return verb.image.toUpperCase() === 'ADD'
      ? { kind: 'AddComponents', components: list, pos }
      : { kind: 'ModifyComponents', components: list, pos };
  }
  const drop = node(n, 'alterDrop');
  if (drop !== undefined) return alterDrop(drop);
  const options = node(n, 'optionList');
  if (options !== undefined) return { kind: 'SetOptions', options: tableOptions(options), pos: posOf(options) };
  const rename = node(n, 'alterRename');
  if (rename !== undefined) {
    const newName = node(rename, 'newName');
    if (newName !== undefined) return { kind: 'RenameTable', newName: objectName(newName), pos: posOf(rename) };
    return {
      kind: 'RenameColumn',
      from: identifier(need(rename, 'from')),
      to: identifier(need(rename, 'to')),
      pos: posOf(rename),
    };
  }
  const keys = tokens(n, 'resetKey');
  const first = needToken(n, 'RESET');
  return { kind: 'ResetOptions', keys: keys.map(stringValue), pos: posOfToken(first) };
}

function alterDrop(n: CstNode): AlterTableAction {
  const pos = posOf(n);
  if (has(n, 'WATERMARK')) return { kind: 'DropWatermark', pos };
  if (has(n, 'PRIMARY')) return { kind: 'DropPrimaryKey', pos };
  const constraint = node(n, 'constraintName');
  if (constraint !== undefined) return { kind: 'DropConstraint', name: identifier(constraint), pos };
  const list = node(n, 'nameList');
  if (list !== undefined) return { kind: 'DropColumns', columns: nameList(list), pos };
  return { kind: 'DropColumns', columns: [identifier(need(n, 'column'))], pos };
}
