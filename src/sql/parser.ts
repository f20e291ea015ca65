/**
 * The grammar of Runnel's SQL dialect (Flink SQL as Confluent Cloud users
 * write it), as one chevrotain CstParser reused for every parse.
 *
 * Rules follow Apache Calcite's parser as Flink configures it: operator
 * precedence (lowest first) is OR, AND, NOT, IS, comparison, BETWEEN/IN/LIKE/
 * SIMILAR, + -, * / % ||, unary minus, postfix [] and field access. The parse
 * tree is turned into our AST by cst-to-ast.ts; rule and label names here are
 * the keys that file reads.
 */
import { CstParser, EOF } from 'chevrotain';
import type { IToken, TokenType } from 'chevrotain';
import { errorMessageProvider } from './syntax-messages.ts';
import {
  allTokens,
  Arrow,
  Comma,
  Concat,
  Dot,
  Equals,
  Greater,
  GreaterEquals,
  KW,
  LBracket,
  Less,
  LessEquals,
  LParen,
  Minus,
  Name,
  NotEquals,
  NumberLiteral,
  Percent,
  Plus,
  RBracket,
  RParen,
  Semicolon,
  Slash,
  Star,
  StringLiteral,
} from './tokens.ts';

const QUERY_START: readonly TokenType[] = [KW.SELECT, KW.WITH, KW.VALUES];

/** Time units accepted in intervals, EXTRACT and TIMESTAMPADD, plurals included. */
export const TIME_UNIT_TOKENS: readonly TokenType[] = [
  KW.YEAR, KW.YEARS, KW.QUARTER, KW.MONTH, KW.MONTHS, KW.WEEK, KW.WEEKS, KW.DAY, KW.DAYS,
  KW.HOUR, KW.HOURS, KW.MINUTE, KW.MINUTES, KW.SECOND, KW.SECONDS, KW.MILLISECOND,
  KW.MICROSECOND, KW.NANOSECOND, KW.DOW, KW.DOY, KW.EPOCH, KW.ISODOW, KW.ISOYEAR,
  KW.DECADE, KW.CENTURY, KW.MILLENNIUM,
];

/** Reserved keywords that are still callable as functions: `HOUR(ts)`, `LEFT(s, 3)`. */
const KEYWORD_FUNCTIONS: readonly TokenType[] = [
  KW.LEFT, KW.RIGHT, KW.YEAR, KW.MONTH, KW.DAY, KW.HOUR, KW.MINUTE, KW.SECOND, KW.GROUPING,
];

const NILADIC_FUNCTIONS: readonly TokenType[] = [
  KW.CURRENT_TIMESTAMP, KW.CURRENT_DATE, KW.CURRENT_TIME, KW.LOCALTIMESTAMP, KW.LOCALTIME,
];

function isOneOf(token: IToken, types: readonly TokenType[]): boolean {
  return types.includes(token.tokenType);
}

export class SqlParser extends CstParser {
  /**
   * Grammar validation (ambiguities, left recursion) costs most of the
   * start-up time, so only tests ask for it. Two tokens of lookahead suffice;
   * the few places that need more use gates.
   */
  constructor(options: { validate?: boolean } = {}) {
    super([...allTokens], {
      maxLookahead: 2,
      skipValidations: options.validate !== true,
      nodeLocationTracking: 'full',
      errorMessageProvider,
    });
    this.performSelfAnalysis();
  }

  /** Statements separated by semicolons; empty statements are allowed. */
  script = this.RULE('script', () => {
    this.MANY(() => this.CONSUME(Semicolon));
    this.OPTION(() => {
      this.SUBRULE(this.statement);
      this.MANY2(() => {
        this.AT_LEAST_ONE(() => this.CONSUME2(Semicolon));
        this.OPTION2(() => this.SUBRULE2(this.statement));
      });
    });
  });

  statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.query) },
      { ALT: () => this.SUBRULE(this.insertStatement) },
      { ALT: () => this.SUBRULE(this.executeStatement) },
      { ALT: () => this.SUBRULE(this.createStatement) },
      { ALT: () => this.SUBRULE(this.alterTableStatement) },
      { ALT: () => this.SUBRULE(this.dropStatement) },
      { ALT: () => this.SUBRULE(this.showStatement) },
      { ALT: () => this.SUBRULE(this.describeStatement) },
      { ALT: () => this.SUBRULE(this.explainStatement) },
      { ALT: () => this.SUBRULE(this.setStatement) },
      { ALT: () => this.SUBRULE(this.resetStatement) },
      { ALT: () => this.SUBRULE(this.useStatement) },
      { ALT: () => this.SUBRULE(this.stopStatement) },
      { ALT: () => this.SUBRULE(this.resumeStatement) },
    ]);
  });

  // ------------------------------------------------------------ statements

  insertStatement = this.RULE('insertStatement', () => {
    this.CONSUME(KW.INSERT);
    this.OR([{ ALT: () => this.CONSUME(KW.INTO) }, { ALT: () => this.CONSUME(KW.OVERWRITE) }]);
    this.SUBRULE(this.objectName);
    this.OPTION({
      GATE: () => this.LA(1).tokenType === LParen && !isOneOf(this.LA(2), [...QUERY_START, LParen]),
      DEF: () => this.SUBRULE(this.nameList),
    });
    this.SUBRULE(this.query);
  });

  executeStatement = this.RULE('executeStatement', () => {
    this.CONSUME(KW.EXECUTE);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.STATEMENT);
          this.CONSUME(KW.SET);
          this.CONSUME(KW.BEGIN);
          this.AT_LEAST_ONE(() => {
            this.SUBRULE(this.insertStatement);
            this.AT_LEAST_ONE2(() => this.CONSUME(Semicolon));
          });
          this.CONSUME(KW.END);
        },
      },
      { ALT: () => this.SUBRULE2(this.insertStatement) },
    ]);
  });

  createStatement = this.RULE('createStatement', () => {
    this.CONSUME(KW.CREATE);
    this.OPTION(() => {
      this.CONSUME(KW.TEMPORARY);
      this.OPTION2(() => this.CONSUME(KW.SYSTEM));
    });
    this.OR([
      { ALT: () => this.SUBRULE(this.createTableBody) },
      { ALT: () => this.SUBRULE(this.createViewBody) },
      { ALT: () => this.SUBRULE(this.createFunctionBody) },
    ]);
  });

  createTableBody = this.RULE('createTableBody', () => {
    this.CONSUME(KW.TABLE);
    this.OPTION(() => this.SUBRULE(this.ifNotExists));
    this.SUBRULE(this.objectName);
    this.OPTION2(() => {
      this.CONSUME(LParen);
      this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.tableElement) });
      this.CONSUME(RParen);
    });
    this.OPTION3(() => {
      this.CONSUME(KW.COMMENT);
      this.CONSUME(StringLiteral, { LABEL: 'comment' });
    });
    this.OPTION4(() => this.SUBRULE(this.distribution));
    this.OPTION5(() => {
      this.CONSUME(KW.PARTITIONED);
      this.CONSUME(KW.BY);
      this.SUBRULE(this.nameList, { LABEL: 'partitionedBy' });
    });
    this.OPTION6(() => {
      this.CONSUME(KW.WITH);
      this.SUBRULE(this.optionList);
    });
    this.OPTION7(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.likeClause) },
        {
          ALT: () => {
            this.CONSUME(KW.AS);
            this.SUBRULE(this.query);
          },
        },
      ]);
    });
  });

  ifNotExists = this.RULE('ifNotExists', () => {
    this.CONSUME(KW.IF);
    this.CONSUME(KW.NOT);
    this.CONSUME(KW.EXISTS);
  });

  ifExists = this.RULE('ifExists', () => {
    this.CONSUME(KW.IF);
    this.CONSUME(KW.EXISTS);
  });

  /** A column, a watermark or a primary key inside CREATE TABLE (…) or ALTER TABLE ADD/MODIFY. */
  tableElement = this.RULE('tableElement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.watermarkDefinition) },
      { ALT: () => this.SUBRULE(this.primaryKeyConstraint) },
      { ALT: () => this.SUBRULE(this.columnDefinition) },
    ]);
  });

  watermarkDefinition = this.RULE('watermarkDefinition', () => {
    this.CONSUME(KW.WATERMARK);
    this.CONSUME(KW.FOR);
    this.SUBRULE(this.identifier);
    this.CONSUME(KW.AS);
    this.SUBRULE(this.expression);
  });

  primaryKeyConstraint = this.RULE('primaryKeyConstraint', () => {
    this.OPTION(() => {
      this.CONSUME(KW.CONSTRAINT);
      this.SUBRULE(this.identifier, { LABEL: 'constraintName' });
    });
    this.CONSUME(KW.PRIMARY);
    this.CONSUME(KW.KEY);
    this.SUBRULE(this.nameList);
    this.CONSUME(KW.NOT);
    this.CONSUME(KW.ENFORCED);
  });

  columnDefinition = this.RULE('columnDefinition', () => {
    this.SUBRULE(this.identifier, { LABEL: 'columnName' });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.AS);
          this.SUBRULE(this.expression);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.dataType);
          this.OPTION(() => {
            this.OR2([
              {
                ALT: () => {
                  this.CONSUME(KW.METADATA);
                  this.OPTION2(() => {
                    this.CONSUME(KW.FROM);
                    this.CONSUME(StringLiteral, { LABEL: 'metadataKey' });
                  });
                  this.OPTION3(() => this.CONSUME(KW.VIRTUAL));
                },
              },
              { ALT: () => this.SUBRULE(this.columnPrimaryKey) },
            ]);
          });
        },
      },
    ]);
    this.OPTION4(() => {
      this.CONSUME(KW.COMMENT);
      this.CONSUME2(StringLiteral, { LABEL: 'comment' });
    });
  });

  columnPrimaryKey = this.RULE('columnPrimaryKey', () => {
    this.OPTION(() => {
      this.CONSUME(KW.CONSTRAINT);
      this.SUBRULE(this.identifier, { LABEL: 'constraintName' });
    });
    this.CONSUME(KW.PRIMARY);
    this.CONSUME(KW.KEY);
    this.CONSUME(KW.NOT);
    this.CONSUME(KW.ENFORCED);
  });

  distribution = this.RULE('distribution', () => {
    this.CONSUME(KW.DISTRIBUTED);
    this.OPTION(() => {
      this.CONSUME(KW.BY);
      this.OPTION2(() => this.SUBRULE(this.identifier, { LABEL: 'algorithm' }));
      this.SUBRULE(this.nameList);
    });
    this.OPTION3(() => {
      this.CONSUME(KW.INTO);
      this.CONSUME(NumberLiteral, { LABEL: 'buckets' });
      this.CONSUME(KW.BUCKETS);
    });
  });

  optionList = this.RULE('optionList', () => {
    this.CONSUME(LParen);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.tableOption) });
    this.CONSUME(RParen);
  });

  tableOption = this.RULE('tableOption', () => {
    this.CONSUME(StringLiteral, { LABEL: 'key' });
    this.CONSUME(Equals);
    this.CONSUME2(StringLiteral, { LABEL: 'value' });
  });

  likeClause = this.RULE('likeClause', () => {
    this.CONSUME(KW.LIKE);
    this.SUBRULE(this.objectName);
    this.OPTION(() => {
      this.CONSUME(LParen);
      this.MANY(() => this.SUBRULE(this.likeOption));
      this.CONSUME(RParen);
    });
  });

  likeOption = this.RULE('likeOption', () => {
    this.OR([
      { ALT: () => this.CONSUME(KW.INCLUDING, { LABEL: 'mode' }) },
      { ALT: () => this.CONSUME(KW.EXCLUDING, { LABEL: 'mode' }) },
      { ALT: () => this.CONSUME(KW.OVERWRITING, { LABEL: 'mode' }) },
    ]);
    this.OR2(
      [KW.ALL, KW.CONSTRAINTS, KW.PARTITIONS, KW.GENERATED, KW.OPTIONS, KW.WATERMARKS, KW.METADATA].map(
        (t) => ({ ALT: () => this.CONSUME(t, { LABEL: 'feature' }) }),
      ),
    );
  });

  createViewBody = this.RULE('createViewBody', () => {
    this.CONSUME(KW.VIEW);
    this.OPTION(() => this.SUBRULE(this.ifNotExists));
    this.SUBRULE(this.objectName);
    this.OPTION2(() => this.SUBRULE(this.nameList));
    this.OPTION3(() => {
      this.CONSUME(KW.COMMENT);
      this.CONSUME(StringLiteral, { LABEL: 'comment' });
    });
    this.CONSUME(KW.AS);
    this.SUBRULE(this.query);
  });

  createFunctionBody = this.RULE('createFunctionBody', () => {
    this.CONSUME(KW.FUNCTION);
    this.OPTION(() => this.SUBRULE(this.ifNotExists));
    this.SUBRULE(this.objectName);
    this.CONSUME(KW.AS);
    this.CONSUME(StringLiteral, { LABEL: 'className' });
    this.OPTION2(() => {
      this.CONSUME(KW.LANGUAGE);
      this.SUBRULE(this.identifier, { LABEL: 'language' });
    });
    this.OPTION3(() => {
      this.CONSUME(KW.USING);
      this.AT_LEAST_ONE_SEP({
        SEP: Comma,
        DEF: () => {
          this.CONSUME(KW.JAR);
          this.CONSUME2(StringLiteral, { LABEL: 'jar' });
        },
      });
    });
  });

  alterTableStatement = this.RULE('alterTableStatement', () => {
    this.CONSUME(KW.ALTER);
    this.CONSUME(KW.TABLE);
    this.OPTION(() => this.SUBRULE(this.ifExists));
    this.SUBRULE(this.objectName);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.ADD, { LABEL: 'verb' });
          this.SUBRULE(this.schemaComponents);
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.MODIFY, { LABEL: 'verb' });
          this.SUBRULE2(this.schemaComponents);
        },
      },
      { ALT: () => this.SUBRULE(this.alterDrop) },
      {
        ALT: () => {
          this.CONSUME(KW.SET);
          this.SUBRULE(this.optionList);
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.RESET);
          this.CONSUME(LParen);
          this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.CONSUME(StringLiteral, { LABEL: 'resetKey' }) });
          this.CONSUME(RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.alterRename) },
    ]);
  });

  schemaComponents = this.RULE('schemaComponents', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.tableElement) });
          this.CONSUME(RParen);
        },
      },
      { ALT: () => this.SUBRULE2(this.tableElement) },
    ]);
  });

  alterDrop = this.RULE('alterDrop', () => {
    this.CONSUME(KW.DROP);
    // `DROP WATERMARK` wins over dropping a column named `watermark` (backquote it for that).
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
      { ALT: () => this.CONSUME(KW.WATERMARK) },
      {
        ALT: () => {
          this.CONSUME(KW.PRIMARY);
          this.CONSUME(KW.KEY);
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.CONSTRAINT);
          this.SUBRULE(this.identifier, { LABEL: 'constraintName' });
        },
      },
      { ALT: () => this.SUBRULE(this.nameList) },
        { ALT: () => this.SUBRULE2(this.identifier, { LABEL: 'column' }) },
      ],
    });
  });

  alterRename = this.RULE('alterRename', () => {
    this.CONSUME(KW.RENAME);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.TO);
          this.SUBRULE(this.objectName, { LABEL: 'newName' });
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.identifier, { LABEL: 'from' });
          this.CONSUME2(KW.TO);
          this.SUBRULE2(this.identifier, { LABEL: 'to' });
        },
      },
    ]);
  });

  dropStatement = this.RULE('dropStatement', () => {
    this.CONSUME(KW.DROP);
    this.OPTION(() => this.CONSUME(KW.TEMPORARY));
    this.OR([
      { ALT: () => this.CONSUME(KW.TABLE, { LABEL: 'objectType' }) },
      { ALT: () => this.CONSUME(KW.VIEW, { LABEL: 'objectType' }) },
      { ALT: () => this.CONSUME(KW.FUNCTION, { LABEL: 'objectType' }) },
    ]);
    this.OPTION2(() => this.SUBRULE(this.ifExists));
    this.SUBRULE(this.objectName);
  });

  showStatement = this.RULE('showStatement', () => {
    this.CONSUME(KW.SHOW);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.CREATE);
          this.OR2([
            { ALT: () => this.CONSUME(KW.TABLE, { LABEL: 'objectType' }) },
            { ALT: () => this.CONSUME(KW.VIEW, { LABEL: 'objectType' }) },
          ]);
          this.SUBRULE(this.objectName);
        },
      },
      {
        ALT: () => {
          this.OR3(
            [KW.TABLES, KW.VIEWS, KW.FUNCTIONS, KW.STATEMENTS, KW.CATALOGS, KW.DATABASES, KW.JOBS].map((t) => ({
              ALT: () => this.CONSUME(t, { LABEL: 'objects' }),
            })),
          );
          this.OPTION(() => {
            this.OR4([{ ALT: () => this.CONSUME(KW.FROM) }, { ALT: () => this.CONSUME(KW.IN) }]);
            this.SUBRULE2(this.objectName, { LABEL: 'from' });
          });
          this.OPTION2(() => {
            this.OPTION3(() => this.CONSUME(KW.NOT));
            this.CONSUME(KW.LIKE);
            this.CONSUME(StringLiteral, { LABEL: 'pattern' });
          });
        },
      },
    ]);
  });

  describeStatement = this.RULE('describeStatement', () => {
    this.OR([{ ALT: () => this.CONSUME(KW.DESCRIBE) }, { ALT: () => this.CONSUME(KW.DESC) }]);
    this.OPTION(() => this.CONSUME(KW.EXTENDED));
    this.SUBRULE(this.objectName);
  });

  explainStatement = this.RULE('explainStatement', () => {
    this.CONSUME(KW.EXPLAIN);
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(KW.PLAN);
            this.CONSUME(KW.FOR);
          },
        },
        {
          ALT: () =>
            this.AT_LEAST_ONE_SEP({
              SEP: Comma,
              DEF: () =>
                this.OR2(
                  [KW.ESTIMATED_COST, KW.CHANGELOG_MODE, KW.PLAN_ADVICE, KW.JSON_EXECUTION_PLAN].map((t) => ({
                    ALT: () => this.CONSUME(t, { LABEL: 'detail' }),
                  })),
                ),
            }),
        },
      ]);
    });
    this.SUBRULE(this.statement);
  });

  setStatement = this.RULE('setStatement', () => {
    this.CONSUME(KW.SET);
    this.OPTION(() => {
      this.CONSUME(StringLiteral, { LABEL: 'key' });
      this.CONSUME(Equals);
      this.CONSUME2(StringLiteral, { LABEL: 'value' });
    });
  });

  resetStatement = this.RULE('resetStatement', () => {
    this.CONSUME(KW.RESET);
    this.OPTION(() => this.CONSUME(StringLiteral, { LABEL: 'key' }));
  });

  useStatement = this.RULE('useStatement', () => {
    this.CONSUME(KW.USE);
    this.OPTION({
      GATE: () => this.LA(2).tokenType !== EOF && this.LA(2).tokenType !== Semicolon && this.LA(2).tokenType !== Dot,
      DEF: () => this.CONSUME(KW.CATALOG),
    });
    this.SUBRULE(this.objectName);
  });

  stopStatement = this.RULE('stopStatement', () => {
    this.CONSUME(KW.STOP);
    this.CONSUME(KW.STATEMENT);
    this.CONSUME(StringLiteral, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(KW.WITH);
      this.CONSUME(KW.SAVEPOINT);
    });
  });

  resumeStatement = this.RULE('resumeStatement', () => {
    this.CONSUME(KW.RESUME);
    this.CONSUME(KW.STATEMENT);
    this.CONSUME(StringLiteral, { LABEL: 'name' });
  });

  // ------------------------------------------------------------ queries

  query = this.RULE('query', () => {
    this.OPTION(() => {
      this.CONSUME(KW.WITH);
      this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.cte) });
    });
    this.SUBRULE(this.setExpression);
    this.OPTION2(() => {
      this.CONSUME(KW.ORDER);
      this.CONSUME(KW.BY);
      this.AT_LEAST_ONE_SEP2({ SEP: Comma, DEF: () => this.SUBRULE(this.orderItem) });
    });
    this.OPTION3(() => {
      this.CONSUME(KW.LIMIT);
      this.SUBRULE(this.expression, { LABEL: 'limit' });
    });
    this.OPTION4(() => {
      this.CONSUME(KW.OFFSET);
      this.SUBRULE2(this.expression, { LABEL: 'offset' });
      this.OPTION5(() => this.SUBRULE(this.rowOrRows));
    });
    this.OPTION6(() => {
      this.CONSUME(KW.FETCH);
      this.OR([{ ALT: () => this.CONSUME(KW.FIRST) }, { ALT: () => this.CONSUME(KW.NEXT) }]);
      this.OPTION7(() => this.SUBRULE3(this.expression, { LABEL: 'fetch' }));
      this.SUBRULE2(this.rowOrRows);
      this.CONSUME(KW.ONLY);
    });
  });

  rowOrRows = this.RULE('rowOrRows', () => {
    this.OR([{ ALT: () => this.CONSUME(KW.ROW) }, { ALT: () => this.CONSUME(KW.ROWS) }]);
  });

  cte = this.RULE('cte', () => {
    this.SUBRULE(this.identifier);
    this.OPTION(() => this.SUBRULE(this.nameList));
    this.CONSUME(KW.AS);
    this.CONSUME(LParen);
    this.SUBRULE(this.query);
    this.CONSUME(RParen);
  });

  /** UNION and EXCEPT, left-associative, over INTERSECT terms. */
  setExpression = this.RULE('setExpression', () => {
    this.SUBRULE(this.intersectTerm);
    this.MANY(() => this.SUBRULE(this.setOperation));
  });

  setOperation = this.RULE('setOperation', () => {
    this.OR([
      { ALT: () => this.CONSUME(KW.UNION, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(KW.EXCEPT, { LABEL: 'op' }) },
    ]);
    this.OPTION(() => this.SUBRULE(this.allOrDistinct));
    this.SUBRULE(this.intersectTerm);
  });

  intersectTerm = this.RULE('intersectTerm', () => {
    this.SUBRULE(this.queryPrimary);
    this.MANY(() => this.SUBRULE(this.intersectOperation));
  });

  intersectOperation = this.RULE('intersectOperation', () => {
    this.CONSUME(KW.INTERSECT, { LABEL: 'op' });
    this.OPTION(() => this.SUBRULE(this.allOrDistinct));
    this.SUBRULE(this.queryPrimary);
  });

  allOrDistinct = this.RULE('allOrDistinct', () => {
    this.OR([{ ALT: () => this.CONSUME(KW.ALL) }, { ALT: () => this.CONSUME(KW.DISTINCT) }]);
  });

  queryPrimary = this.RULE('queryPrimary', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.select) },
      { ALT: () => this.SUBRULE(this.values) },
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.query);
          this.CONSUME(RParen);
        },
      },
    ]);
  });

  values = this.RULE('values', () => {
    this.CONSUME(KW.VALUES);
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.expression) });
  });

  select = this.RULE('select', () => {
    this.CONSUME(KW.SELECT);
    this.OPTION(() => this.SUBRULE(this.allOrDistinct));
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.selectItem) });
    this.OPTION2(() => {
      this.CONSUME(KW.FROM);
      this.SUBRULE(this.fromClause);
    });
    this.OPTION3(() => {
      this.CONSUME(KW.WHERE);
      this.SUBRULE(this.expression, { LABEL: 'where' });
    });
    this.OPTION4(() => {
      this.CONSUME(KW.GROUP);
      this.CONSUME(KW.BY);
      this.AT_LEAST_ONE_SEP2({ SEP: Comma, DEF: () => this.SUBRULE(this.groupingElement) });
    });
    this.OPTION5(() => {
      this.CONSUME(KW.HAVING);
      this.SUBRULE2(this.expression, { LABEL: 'having' });
    });
    this.OPTION6(() => {
      this.CONSUME(KW.WINDOW);
      this.AT_LEAST_ONE_SEP3({ SEP: Comma, DEF: () => this.SUBRULE(this.namedWindow) });
    });
  });

  selectItem = this.RULE('selectItem', () => {
    this.OR([
      { ALT: () => this.CONSUME(Star) },
      {
        GATE: () => this.isQualifiedStar(),
        ALT: () => {
          this.SUBRULE(this.identifier, { LABEL: 'qualifier' });
          this.MANY(() => {
            this.CONSUME(Dot);
            this.SUBRULE2(this.identifier, { LABEL: 'qualifier' });
          });
          this.CONSUME2(Dot);
          this.CONSUME2(Star);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.expression);
          this.OPTION(() => this.SUBRULE(this.alias));
        },
      },
    ]);
  });

  alias = this.RULE('alias', () => {
    this.OPTION(() => this.CONSUME(KW.AS));
    this.SUBRULE(this.identifier);
  });

  groupingElement = this.RULE('groupingElement', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.GROUPING);
          this.CONSUME(KW.SETS);
          this.CONSUME(LParen);
          this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.groupingSet) });
          this.CONSUME(RParen);
        },
      },
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(KW.ROLLUP, { LABEL: 'rollupOrCube' }) },
            { ALT: () => this.CONSUME(KW.CUBE, { LABEL: 'rollupOrCube' }) },
          ]);
          this.CONSUME2(LParen);
          this.AT_LEAST_ONE_SEP2({ SEP: Comma, DEF: () => this.SUBRULE(this.expression) });
          this.CONSUME2(RParen);
        },
      },
      {
        // `()` is the empty grouping set.
        GATE: () => this.LA(1).tokenType === LParen && this.LA(2).tokenType === RParen,
        ALT: () => {
          this.CONSUME3(LParen, { LABEL: 'empty' });
          this.CONSUME3(RParen);
        },
      },
      { ALT: () => this.SUBRULE2(this.expression) },
    ]);
  });

  /** `(a, b)`, `a` or `()` inside GROUPING SETS. */
  groupingSet = this.RULE('groupingSet', () => {
    this.OR([
      {
        GATE: () => this.LA(1).tokenType === LParen && !isOneOf(this.LA(2), QUERY_START),
        ALT: () => {
          this.CONSUME(LParen);
          this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.expression) });
          this.CONSUME(RParen);
        },
      },
      { ALT: () => this.SUBRULE2(this.expression, { LABEL: 'single' }) },
    ]);
  });

  namedWindow = this.RULE('namedWindow', () => {
    this.SUBRULE(this.identifier);
    this.CONSUME(KW.AS);
    this.SUBRULE(this.windowSpec);
  });

  windowSpec = this.RULE('windowSpec', () => {
    this.CONSUME(LParen);
    this.OPTION(() => this.SUBRULE(this.identifier, { LABEL: 'baseWindow' }));
    this.OPTION2(() => {
      this.CONSUME(KW.PARTITION);
      this.CONSUME(KW.BY);
      this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: 'partitionBy' }) });
    });
    this.OPTION3(() => {
      this.CONSUME(KW.ORDER);
      this.CONSUME2(KW.BY);
      this.AT_LEAST_ONE_SEP2({ SEP: Comma, DEF: () => this.SUBRULE(this.orderItem) });
    });
    this.OPTION4(() => this.SUBRULE(this.windowFrame));
    this.CONSUME(RParen);
  });

  windowFrame = this.RULE('windowFrame', () => {
    this.OR([
      { ALT: () => this.CONSUME(KW.ROWS, { LABEL: 'units' }) },
      { ALT: () => this.CONSUME(KW.RANGE, { LABEL: 'units' }) },
    ]);
    this.OR2([
      {
        ALT: () => {
          this.CONSUME(KW.BETWEEN);
          this.SUBRULE(this.frameBound);
          this.CONSUME(KW.AND);
          this.SUBRULE2(this.frameBound);
        },
      },
      { ALT: () => this.SUBRULE3(this.frameBound) },
    ]);
  });

  frameBound = this.RULE('frameBound', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.UNBOUNDED);
          this.SUBRULE(this.precedingOrFollowing);
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.CURRENT);
          this.CONSUME(KW.ROW);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.additiveExpression);
          this.SUBRULE2(this.precedingOrFollowing);
        },
      },
    ]);
  });

  precedingOrFollowing = this.RULE('precedingOrFollowing', () => {
    this.OR([{ ALT: () => this.CONSUME(KW.PRECEDING) }, { ALT: () => this.CONSUME(KW.FOLLOWING) }]);
  });

  orderItem = this.RULE('orderItem', () => {
    this.SUBRULE(this.expression);
    this.OPTION(() =>
      this.OR([
        { ALT: () => this.CONSUME(KW.ASC, { LABEL: 'direction' }) },
        { ALT: () => this.CONSUME(KW.DESC, { LABEL: 'direction' }) },
      ]),
    );
    this.OPTION2(() => {
      this.CONSUME(KW.NULLS);
      this.OR2([
        { ALT: () => this.CONSUME(KW.FIRST, { LABEL: 'nulls' }) },
        { ALT: () => this.CONSUME(KW.LAST, { LABEL: 'nulls' }) },
      ]);
    });
  });

  // ------------------------------------------------------------ FROM

  fromClause = this.RULE('fromClause', () => {
    this.SUBRULE(this.tableRef);
    this.MANY(() => this.SUBRULE(this.joinStep));
  });

  joinStep = this.RULE('joinStep', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Comma);
          this.SUBRULE(this.tableRef);
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.CROSS);
          this.CONSUME(KW.JOIN);
          this.SUBRULE2(this.tableRef);
        },
      },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(KW.NATURAL));
          this.OPTION2(() => this.SUBRULE(this.joinType));
          this.CONSUME2(KW.JOIN);
          this.SUBRULE3(this.tableRef);
          this.OPTION3(() => {
            this.OR2([
              {
                ALT: () => {
                  this.CONSUME(KW.ON);
                  this.SUBRULE(this.expression, { LABEL: 'on' });
                },
              },
              {
                ALT: () => {
                  this.CONSUME(KW.USING);
                  this.SUBRULE(this.nameList, { LABEL: 'using' });
                },
              },
            ]);
          });
        },
      },
    ]);
  });

  joinType = this.RULE('joinType', () => {
    this.OR([
      { ALT: () => this.CONSUME(KW.INNER, { LABEL: 'type' }) },
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(KW.LEFT, { LABEL: 'type' }) },
            { ALT: () => this.CONSUME(KW.RIGHT, { LABEL: 'type' }) },
            { ALT: () => this.CONSUME(KW.FULL, { LABEL: 'type' }) },
          ]);
          this.OPTION(() => this.CONSUME(KW.OUTER));
        },
      },
    ]);
  });

  tableRef = this.RULE('tableRef', () => {
    this.OR([
      {
        ALT: () => {
          this.SUBRULE(this.objectName);
          this.OPTION(() => {
            this.CONSUME(KW.FOR);
            this.CONSUME(KW.SYSTEM_TIME);
            this.CONSUME(KW.AS);
            this.CONSUME(KW.OF);
            this.SUBRULE(this.expression, { LABEL: 'systemTime' });
          });
        },
      },
      {
        GATE: () => isOneOf(this.LA(2), [...QUERY_START, LParen]),
        ALT: () => {
          this.CONSUME(LParen, { LABEL: 'subquery' });
          this.SUBRULE(this.query);
          this.CONSUME(RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME2(LParen, { LABEL: 'nested' });
          this.SUBRULE(this.fromClause);
          this.CONSUME2(RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.tableFunctionRef) },
      {
        ALT: () => {
          this.CONSUME(KW.LATERAL);
          this.OR2([
            { ALT: () => this.SUBRULE2(this.tableFunctionRef) },
            {
              ALT: () => {
                this.CONSUME3(LParen, { LABEL: 'subquery' });
                this.SUBRULE2(this.query);
                this.CONSUME3(RParen);
              },
            },
          ]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.UNNEST);
          this.CONSUME4(LParen);
          this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE2(this.expression, { LABEL: 'unnest' }) });
          this.CONSUME4(RParen);
          this.OPTION2(() => {
            this.CONSUME(KW.WITH);
            this.CONSUME(KW.ORDINALITY);
          });
        },
      },
    ]);
    this.OPTION3(() => {
      this.SUBRULE(this.alias);
      this.OPTION4(() => this.SUBRULE(this.nameList, { LABEL: 'columnAliases' }));
    });
  });

  /** `TABLE(fn(args))`. */
  tableFunctionRef = this.RULE('tableFunctionRef', () => {
    this.CONSUME(KW.TABLE);
    this.CONSUME(LParen);
    this.SUBRULE(this.objectName);
    this.CONSUME2(LParen);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.tableFunctionArg) });
    this.CONSUME2(RParen);
    this.CONSUME(RParen);
  });

  tableFunctionArg = this.RULE('tableFunctionArg', () => {
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.identifier, { LABEL: 'argName' }) },
        { ALT: () => this.CONSUME(KW.OFFSET, { LABEL: 'argNameKeyword' }) },
      ]);
      this.CONSUME(Arrow);
    });
    this.OR2([
      { ALT: () => this.SUBRULE(this.tableArg) },
      { ALT: () => this.SUBRULE(this.expression) },
    ]);
  });

  tableArg = this.RULE('tableArg', () => {
    this.CONSUME(KW.TABLE);
    this.SUBRULE(this.objectName);
    this.OPTION(() => {
      this.CONSUME(KW.PARTITION);
      this.CONSUME(KW.BY);
      this.OR([
        {
          ALT: () => {
            this.CONSUME(LParen);
            this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.columnRef, { LABEL: 'partitionBy' }) });
            this.CONSUME(RParen);
          },
        },
        { ALT: () => this.SUBRULE2(this.columnRef, { LABEL: 'partitionBy' }) },
      ]);
    });
  });

  // ------------------------------------------------------------ expressions

  expression = this.RULE('expression', () => {
    this.SUBRULE(this.andExpression, { LABEL: 'operand' });
    this.MANY(() => {
      this.CONSUME(KW.OR);
      this.SUBRULE2(this.andExpression, { LABEL: 'operand' });
    });
  });

  andExpression = this.RULE('andExpression', () => {
    this.SUBRULE(this.notExpression, { LABEL: 'operand' });
    this.MANY(() => {
      this.CONSUME(KW.AND);
      this.SUBRULE2(this.notExpression, { LABEL: 'operand' });
    });
  });

  notExpression = this.RULE('notExpression', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.NOT);
          this.SUBRULE(this.notExpression);
        },
      },
      { ALT: () => this.SUBRULE(this.isExpression) },
    ]);
  });

  isExpression = this.RULE('isExpression', () => {
    this.SUBRULE(this.comparison);
    this.MANY(() => this.SUBRULE(this.isSuffix));
  });

  isSuffix = this.RULE('isSuffix', () => {
    this.CONSUME(KW.IS);
    this.OPTION(() => this.CONSUME(KW.NOT));
    this.OR([
      { ALT: () => this.CONSUME(KW.NULL, { LABEL: 'test' }) },
      { ALT: () => this.CONSUME(KW.TRUE, { LABEL: 'test' }) },
      { ALT: () => this.CONSUME(KW.FALSE, { LABEL: 'test' }) },
      { ALT: () => this.CONSUME(KW.UNKNOWN, { LABEL: 'test' }) },
      {
        ALT: () => {
          this.CONSUME(KW.DISTINCT);
          this.CONSUME(KW.FROM);
          this.SUBRULE(this.comparison);
        },
      },
    ]);
  });

  comparison = this.RULE('comparison', () => {
    this.SUBRULE(this.predicate, { LABEL: 'operand' });
    this.MANY(() => {
      this.OR(
        [Equals, NotEquals, Less, LessEquals, Greater, GreaterEquals].map((t) => ({
          ALT: () => this.CONSUME(t, { LABEL: 'op' }),
        })),
      );
      this.SUBRULE2(this.predicate, { LABEL: 'operand' });
    });
  });

  predicate = this.RULE('predicate', () => {
    this.SUBRULE(this.additiveExpression);
    this.OPTION(() => this.SUBRULE(this.predicateSuffix));
  });

  predicateSuffix = this.RULE('predicateSuffix', () => {
    this.OPTION(() => this.CONSUME(KW.NOT));
    this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.BETWEEN);
          this.OPTION2(() =>
            this.OR2([
              { ALT: () => this.CONSUME(KW.SYMMETRIC) },
              { ALT: () => this.CONSUME(KW.ASYMMETRIC) },
            ]),
          );
          this.SUBRULE(this.additiveExpression, { LABEL: 'low' });
          this.CONSUME(KW.AND);
          this.SUBRULE2(this.additiveExpression, { LABEL: 'high' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.IN);
          this.CONSUME(LParen);
          this.OR3([
            { GATE: () => isOneOf(this.LA(1), QUERY_START), ALT: () => this.SUBRULE(this.query) },
            { ALT: () => this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.expression) }) },
          ]);
          this.CONSUME(RParen);
        },
      },
      {
        ALT: () => {
          this.OR4([
            { ALT: () => this.CONSUME(KW.LIKE, { LABEL: 'likeOp' }) },
            {
              ALT: () => {
                this.CONSUME(KW.SIMILAR, { LABEL: 'likeOp' });
                this.CONSUME(KW.TO);
              },
            },
          ]);
          this.SUBRULE3(this.additiveExpression, { LABEL: 'pattern' });
          this.OPTION3(() => {
            this.CONSUME(KW.ESCAPE);
            this.SUBRULE4(this.additiveExpression, { LABEL: 'escape' });
          });
        },
      },
    ]);
  });

  additiveExpression = this.RULE('additiveExpression', () => {
    this.SUBRULE(this.multiplicativeExpression, { LABEL: 'operand' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(Plus, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(Minus, { LABEL: 'op' }) },
      ]);
      this.SUBRULE2(this.multiplicativeExpression, { LABEL: 'operand' });
    });
  });

  /** `||` binds as tightly as `*`, as in Calcite. */
  multiplicativeExpression = this.RULE('multiplicativeExpression', () => {
    this.SUBRULE(this.unaryExpression, { LABEL: 'operand' });
    this.MANY(() => {
      this.OR(
        [Star, Slash, Percent, Concat].map((t) => ({ ALT: () => this.CONSUME(t, { LABEL: 'op' }) })),
      );
      this.SUBRULE2(this.unaryExpression, { LABEL: 'operand' });
    });
  });

  unaryExpression = this.RULE('unaryExpression', () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(Minus, { LABEL: 'op' }) },
            { ALT: () => this.CONSUME(Plus, { LABEL: 'op' }) },
          ]);
          this.SUBRULE(this.unaryExpression);
        },
      },
      { ALT: () => this.SUBRULE(this.postfixExpression) },
    ]);
  });

  /** `x[i]` and `.field` after a primary, in order (`suffix` children). */
  postfixExpression = this.RULE('postfixExpression', () => {
    this.SUBRULE(this.primary);
    this.MANY(() => this.SUBRULE(this.postfixSuffix, { LABEL: 'suffix' }));
  });

  postfixSuffix = this.RULE('postfixSuffix', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(LBracket);
          this.SUBRULE(this.expression);
          this.CONSUME(RBracket);
        },
      },
      {
        ALT: () => {
          this.CONSUME(Dot);
          this.SUBRULE(this.identifier);
        },
      },
    ]);
  });

  primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(NumberLiteral) },
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.CONSUME(KW.TRUE) },
      { ALT: () => this.CONSUME(KW.FALSE) },
      { ALT: () => this.CONSUME(KW.NULL) },
      { ALT: () => this.CONSUME(KW.UNKNOWN) },
      { ALT: () => this.SUBRULE(this.typedLiteral) },
      { ALT: () => this.SUBRULE(this.intervalLiteral) },
      { ALT: () => this.SUBRULE(this.parenthesized) },
      { ALT: () => this.SUBRULE(this.caseExpression) },
      { ALT: () => this.SUBRULE(this.castExpression) },
      { ALT: () => this.SUBRULE(this.extractExpression) },
      { ALT: () => this.SUBRULE(this.trimExpression) },
      { ALT: () => this.SUBRULE(this.substringExpression) },
      { ALT: () => this.SUBRULE(this.positionExpression) },
      { ALT: () => this.SUBRULE(this.overlayExpression) },
      { ALT: () => this.SUBRULE(this.timestampArith) },
      { ALT: () => this.SUBRULE(this.existsExpression) },
      { ALT: () => this.SUBRULE(this.arrayOrMapConstructor) },
      { ALT: () => this.SUBRULE(this.rowConstructor) },
      { ALT: () => this.SUBRULE(this.descriptor) },
      {
        ALT: () =>
          this.OR2(NILADIC_FUNCTIONS.map((t) => ({ ALT: () => this.CONSUME(t, { LABEL: 'niladic' }) }))),
      },
      {
        ALT: () => {
          this.OR3(KEYWORD_FUNCTIONS.map((t) => ({ ALT: () => this.CONSUME(t, { LABEL: 'keywordFunction' }) })));
          this.SUBRULE(this.functionCallTail);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.compoundName);
          this.OPTION(() => this.SUBRULE2(this.functionCallTail));
        },
      },
    ]);
  });

  typedLiteral = this.RULE('typedLiteral', () => {
    this.OR([
      { ALT: () => this.CONSUME(KW.DATE, { LABEL: 'type' }) },
      { ALT: () => this.CONSUME(KW.TIME, { LABEL: 'type' }) },
      { ALT: () => this.CONSUME(KW.TIMESTAMP, { LABEL: 'type' }) },
      { ALT: () => this.CONSUME(KW.TIMESTAMP_LTZ, { LABEL: 'type' }) },
    ]);
    this.CONSUME(StringLiteral);
  });

  intervalLiteral = this.RULE('intervalLiteral', () => {
    this.CONSUME(KW.INTERVAL);
    this.OPTION(() =>
      this.OR([
        { ALT: () => this.CONSUME(Minus, { LABEL: 'sign' }) },
        { ALT: () => this.CONSUME(Plus, { LABEL: 'sign' }) },
      ]),
    );
    this.CONSUME(StringLiteral);
    this.SUBRULE(this.intervalQualifier);
  });

  intervalQualifier = this.RULE('intervalQualifier', () => {
    this.SUBRULE(this.timeUnit, { LABEL: 'from' });
    this.OPTION(() => {
      this.CONSUME(LParen);
      this.CONSUME(NumberLiteral, { LABEL: 'fromPrecision' });
      this.OPTION2(() => {
        this.CONSUME(Comma);
        this.CONSUME2(NumberLiteral, { LABEL: 'fractionalPrecision' });
      });
      this.CONSUME(RParen);
    });
    this.OPTION3(() => {
      this.CONSUME(KW.TO);
      this.SUBRULE2(this.timeUnit, { LABEL: 'to' });
      this.OPTION4(() => {
        this.CONSUME2(LParen);
        this.CONSUME3(NumberLiteral, { LABEL: 'toPrecision' });
        this.CONSUME2(RParen);
      });
    });
  });

  timeUnit = this.RULE('timeUnit', () => {
    this.OR(TIME_UNIT_TOKENS.map((t) => ({ ALT: () => this.CONSUME(t, { LABEL: 'unit' }) })));
  });

  /** `(expr)`, `(a, b)` (an implicit ROW), or `(SELECT …)` (a scalar subquery). */
  parenthesized = this.RULE('parenthesized', () => {
    this.CONSUME(LParen);
    this.OR([
      { GATE: () => isOneOf(this.LA(1), QUERY_START), ALT: () => this.SUBRULE(this.query) },
      { ALT: () => this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.expression) }) },
    ]);
    this.CONSUME(RParen);
  });

  caseExpression = this.RULE('caseExpression', () => {
    this.CONSUME(KW.CASE);
    this.OPTION(() => this.SUBRULE(this.expression, { LABEL: 'operand' }));
    this.AT_LEAST_ONE(() => {
      this.CONSUME(KW.WHEN);
      this.SUBRULE2(this.expression, { LABEL: 'when' });
      this.CONSUME(KW.THEN);
      this.SUBRULE3(this.expression, { LABEL: 'then' });
    });
    this.OPTION2(() => {
      this.CONSUME(KW.ELSE);
      this.SUBRULE4(this.expression, { LABEL: 'else' });
    });
    this.CONSUME(KW.END);
  });

  castExpression = this.RULE('castExpression', () => {
    this.OR([
      { ALT: () => this.CONSUME(KW.CAST, { LABEL: 'fn' }) },
      { ALT: () => this.CONSUME(KW.TRY_CAST, { LABEL: 'fn' }) },
    ]);
    this.CONSUME(LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(KW.AS);
    this.SUBRULE(this.dataType);
    this.CONSUME(RParen);
  });

  extractExpression = this.RULE('extractExpression', () => {
    this.CONSUME(KW.EXTRACT);
    this.CONSUME(LParen);
    this.SUBRULE(this.timeUnit);
    this.CONSUME(KW.FROM);
    this.SUBRULE(this.expression);
    this.CONSUME(RParen);
  });

  trimExpression = this.RULE('trimExpression', () => {
    this.CONSUME(KW.TRIM);
    this.CONSUME(LParen);
    this.OR([
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(KW.BOTH, { LABEL: 'side' }) },
            { ALT: () => this.CONSUME(KW.LEADING, { LABEL: 'side' }) },
            { ALT: () => this.CONSUME(KW.TRAILING, { LABEL: 'side' }) },
          ]);
          this.OPTION(() => this.SUBRULE(this.expression, { LABEL: 'characters' }));
          this.CONSUME(KW.FROM);
          this.SUBRULE2(this.expression, { LABEL: 'source' });
        },
      },
      {
        ALT: () => {
          this.SUBRULE3(this.expression, { LABEL: 'first' });
          this.OPTION2(() => {
            this.CONSUME2(KW.FROM);
            this.SUBRULE4(this.expression, { LABEL: 'source' });
          });
        },
      },
    ]);
    this.CONSUME(RParen);
  });

  substringExpression = this.RULE('substringExpression', () => {
    this.CONSUME(KW.SUBSTRING);
    this.CONSUME(LParen);
    this.SUBRULE(this.expression, { LABEL: 'source' });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.FROM);
          this.SUBRULE2(this.expression, { LABEL: 'start' });
          this.OPTION(() => {
            this.CONSUME(KW.FOR);
            this.SUBRULE3(this.expression, { LABEL: 'length' });
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(Comma);
          this.SUBRULE4(this.expression, { LABEL: 'start' });
          this.OPTION2(() => {
            this.CONSUME2(Comma);
            this.SUBRULE5(this.expression, { LABEL: 'length' });
          });
        },
      },
    ]);
    this.CONSUME(RParen);
  });

  positionExpression = this.RULE('positionExpression', () => {
    this.CONSUME(KW.POSITION);
    this.CONSUME(LParen);
    this.SUBRULE(this.additiveExpression, { LABEL: 'needle' });
    this.CONSUME(KW.IN);
    this.SUBRULE(this.expression, { LABEL: 'haystack' });
    this.CONSUME(RParen);
  });

  overlayExpression = this.RULE('overlayExpression', () => {
    this.CONSUME(KW.OVERLAY);
    this.CONSUME(LParen);
    this.SUBRULE(this.expression, { LABEL: 'source' });
    this.CONSUME(KW.PLACING);
    this.SUBRULE2(this.expression, { LABEL: 'placing' });
    this.CONSUME(KW.FROM);
    this.SUBRULE3(this.expression, { LABEL: 'start' });
    this.OPTION(() => {
      this.CONSUME(KW.FOR);
      this.SUBRULE4(this.expression, { LABEL: 'length' });
    });
    this.CONSUME(RParen);
  });

  timestampArith = this.RULE('timestampArith', () => {
    this.OR([
      { ALT: () => this.CONSUME(KW.TIMESTAMPADD, { LABEL: 'fn' }) },
      { ALT: () => this.CONSUME(KW.TIMESTAMPDIFF, { LABEL: 'fn' }) },
    ]);
    this.CONSUME(LParen);
    this.SUBRULE(this.timeUnit);
    this.CONSUME(Comma);
    this.SUBRULE(this.expression, { LABEL: 'left' });
    this.CONSUME2(Comma);
    this.SUBRULE2(this.expression, { LABEL: 'right' });
    this.CONSUME(RParen);
  });

  existsExpression = this.RULE('existsExpression', () => {
    this.CONSUME(KW.EXISTS);
    this.CONSUME(LParen);
    this.SUBRULE(this.query);
    this.CONSUME(RParen);
  });

  arrayOrMapConstructor = this.RULE('arrayOrMapConstructor', () => {
    this.OR([
      { ALT: () => this.CONSUME(KW.ARRAY, { LABEL: 'ctor' }) },
      { ALT: () => this.CONSUME(KW.MAP, { LABEL: 'ctor' }) },
    ]);
    this.CONSUME(LBracket);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.expression) });
    this.CONSUME(RBracket);
  });

  rowConstructor = this.RULE('rowConstructor', () => {
    this.CONSUME(KW.ROW);
    this.CONSUME(LParen);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.expression) });
    this.CONSUME(RParen);
  });

  descriptor = this.RULE('descriptor', () => {
    this.CONSUME(KW.DESCRIPTOR);
    this.CONSUME(LParen);
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.identifier) });
    this.CONSUME(RParen);
  });

  /** `(args) [FILTER (WHERE …)] [OVER …]` after a function name. */
  functionCallTail = this.RULE('functionCallTail', () => {
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(Star) },
        {
          ALT: () => {
            this.OPTION2(() => this.SUBRULE(this.allOrDistinct));
            this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: 'arg' }) });
          },
        },
      ]);
    });
    this.CONSUME(RParen);
    this.OPTION3(() => {
      this.CONSUME(KW.FILTER);
      this.CONSUME2(LParen);
      this.CONSUME(KW.WHERE);
      this.SUBRULE2(this.expression, { LABEL: 'filter' });
      this.CONSUME2(RParen);
    });
    this.OPTION4(() => {
      this.CONSUME(KW.OVER);
      this.OR2([
        { ALT: () => this.SUBRULE(this.windowSpec) },
        { ALT: () => this.SUBRULE(this.identifier, { LABEL: 'windowName' }) },
      ]);
    });
  });

  // ------------------------------------------------------------ data types

  dataType = this.RULE('dataType', () => {
    this.SUBRULE(this.baseType);
    this.OPTION(() => this.SUBRULE(this.nullability));
    this.MANY(() => this.SUBRULE(this.collectionSuffix, { LABEL: 'suffix' }));
  });

  /** `T ARRAY`, `T MULTISET NOT NULL`. */
  collectionSuffix = this.RULE('collectionSuffix', () => {
    this.OR([
      { ALT: () => this.CONSUME(KW.ARRAY, { LABEL: 'collection' }) },
      { ALT: () => this.CONSUME(KW.MULTISET, { LABEL: 'collection' }) },
    ]);
    this.OPTION(() => this.SUBRULE(this.nullability));
  });

  nullability = this.RULE('nullability', () => {
    this.OPTION(() => this.CONSUME(KW.NOT));
    this.CONSUME(KW.NULL);
  });

  baseType = this.RULE('baseType', () => {
    this.OR([
      {
        ALT: () =>
          this.OR2(
            [KW.BOOLEAN, KW.TINYINT, KW.SMALLINT, KW.INT, KW.INTEGER, KW.BIGINT, KW.FLOAT, KW.REAL, KW.STRING, KW.BYTES].map(
              (t) => ({ ALT: () => this.CONSUME(t, { LABEL: 'simple' }) }),
            ),
          ),
      },
      {
        ALT: () => {
          this.CONSUME(KW.DOUBLE, { LABEL: 'simple' });
          this.OPTION(() => this.CONSUME(KW.PRECISION));
        },
      },
      { ALT: () => this.CONSUME(KW.DATE, { LABEL: 'simple' }) },
      {
        ALT: () => {
          this.OR3([
            { ALT: () => this.CONSUME(KW.DECIMAL, { LABEL: 'decimal' }) },
            { ALT: () => this.CONSUME(KW.DEC, { LABEL: 'decimal' }) },
            { ALT: () => this.CONSUME(KW.NUMERIC, { LABEL: 'decimal' }) },
          ]);
          this.OPTION2(() => this.SUBRULE(this.typeParams));
        },
      },
      {
        ALT: () => {
          this.OR4([
            { ALT: () => this.CONSUME(KW.CHAR, { LABEL: 'char' }) },
            { ALT: () => this.CONSUME(KW.CHARACTER, { LABEL: 'char' }) },
          ]);
          this.OPTION3(() => this.CONSUME(KW.VARYING));
          this.OPTION4(() => this.SUBRULE2(this.typeParams));
        },
      },
      {
        ALT: () => {
          this.OR5([
            { ALT: () => this.CONSUME(KW.VARCHAR, { LABEL: 'sized' }) },
            { ALT: () => this.CONSUME(KW.BINARY, { LABEL: 'sized' }) },
            { ALT: () => this.CONSUME(KW.VARBINARY, { LABEL: 'sized' }) },
          ]);
          this.OPTION5(() => this.SUBRULE3(this.typeParams));
        },
      },
      { ALT: () => this.SUBRULE(this.timeType) },
      { ALT: () => this.SUBRULE(this.timestampType) },
      {
        ALT: () => {
          this.CONSUME(KW.INTERVAL, { LABEL: 'interval' });
          this.SUBRULE(this.intervalQualifier);
        },
      },
      {
        ALT: () => {
          this.OR7([
            { ALT: () => this.CONSUME(KW.ARRAY, { LABEL: 'collection' }) },
            { ALT: () => this.CONSUME(KW.MULTISET, { LABEL: 'collection' }) },
          ]);
          this.CONSUME(Less);
          this.SUBRULE(this.dataType, { LABEL: 'element' });
          this.CONSUME(Greater);
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.MAP, { LABEL: 'map' });
          this.CONSUME2(Less);
          this.SUBRULE2(this.dataType, { LABEL: 'key' });
          this.CONSUME(Comma);
          this.SUBRULE3(this.dataType, { LABEL: 'value' });
          this.CONSUME2(Greater);
        },
      },
      { ALT: () => this.SUBRULE(this.rowType) },
    ]);
  });

  timeType = this.RULE('timeType', () => {
    this.CONSUME(KW.TIME);
    this.OPTION(() => this.SUBRULE(this.typeParams));
    this.OPTION2(() => this.SUBRULE(this.withoutTimeZone));
  });

  /** `TIMESTAMP(p) [WITHOUT TIME ZONE | WITH LOCAL TIME ZONE]` and `TIMESTAMP_LTZ(p)`. */
  timestampType = this.RULE('timestampType', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(KW.TIMESTAMP);
          this.OPTION(() => this.SUBRULE(this.typeParams));
          this.OPTION2(() =>
            this.OR2([
              { ALT: () => this.SUBRULE(this.withoutTimeZone) },
              {
                ALT: () => {
                  this.CONSUME(KW.WITH);
                  this.CONSUME(KW.LOCAL, { LABEL: 'withLocalTimeZone' });
                  this.CONSUME(KW.TIME);
                  this.CONSUME(KW.ZONE);
                },
              },
            ]),
          );
        },
      },
      {
        ALT: () => {
          this.CONSUME(KW.TIMESTAMP_LTZ, { LABEL: 'ltz' });
          this.OPTION3(() => this.SUBRULE2(this.typeParams));
        },
      },
    ]);
  });

  rowType = this.RULE('rowType', () => {
    this.CONSUME(KW.ROW);
    this.OR([
      // `ROW<>` lexes as ROW followed by the `<>` operator.
      { ALT: () => this.CONSUME(NotEquals, { LABEL: 'empty' }) },
      {
        ALT: () => {
          this.CONSUME(Less);
          this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.rowField) });
          this.CONSUME(Greater);
        },
      },
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.MANY_SEP2({ SEP: Comma, DEF: () => this.SUBRULE2(this.rowField) });
          this.CONSUME(RParen);
        },
      },
    ]);
  });

  rowField = this.RULE('rowField', () => {
    this.SUBRULE(this.identifier);
    this.SUBRULE(this.dataType);
    this.OPTION(() => this.CONSUME(StringLiteral, { LABEL: 'comment' }));
  });

  typeParams = this.RULE('typeParams', () => {
    this.CONSUME(LParen);
    this.CONSUME(NumberLiteral, { LABEL: 'param' });
    this.OPTION(() => {
      this.CONSUME(Comma);
      this.CONSUME2(NumberLiteral, { LABEL: 'param' });
    });
    this.CONSUME(RParen);
  });

  withoutTimeZone = this.RULE('withoutTimeZone', () => {
    this.CONSUME(KW.WITHOUT);
    this.CONSUME(KW.TIME);
    this.CONSUME(KW.ZONE);
  });

  // ------------------------------------------------------------ names

  identifier = this.RULE('identifier', () => {
    this.CONSUME(Name);
  });

  /** `a`, `t.a`, `cat.db.t`: parts of a column reference or function name. */
  compoundName = this.RULE('compoundName', () => {
    this.SUBRULE(this.identifier);
    this.MANY({
      GATE: () => this.LA(2).tokenType !== Star,
      DEF: () => {
        this.CONSUME(Dot);
        this.SUBRULE2(this.identifier);
      },
    });
  });

  columnRef = this.RULE('columnRef', () => {
    this.SUBRULE(this.compoundName);
  });

  objectName = this.RULE('objectName', () => {
    this.SUBRULE(this.identifier);
    this.MANY(() => {
      this.CONSUME(Dot);
      this.SUBRULE2(this.identifier);
    });
  });

  nameList = this.RULE('nameList', () => {
    this.CONSUME(LParen);
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.identifier) });
    this.CONSUME(RParen);
  });

  /** True when the next tokens are `name(.name)*.*`, a qualified star in a select list. */
  private isQualifiedStar(): boolean {
    let i = 1;
    for (;;) {
      if (!this.isNameToken(this.LA(i))) return false;
      if (this.LA(i + 1).tokenType !== Dot) return false;
      if (this.LA(i + 2).tokenType === Star) return true;
      i += 2;
    }
  }

  private isNameToken(token: IToken): boolean {
    const categories = token.tokenType.CATEGORIES ?? [];
    return token.tokenType === Name || categories.includes(Name);
  }
}

/** The one parser instance; chevrotain parsers are reused by resetting `input`. */
export const sqlParser = new SqlParser();
