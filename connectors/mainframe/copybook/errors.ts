/** A copybook that cannot be parsed: names the line, the column and what was expected. */
export class CopybookSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`Copybook syntax error at line ${line}, column ${column}: ${detail}`);
    this.name = 'CopybookSyntaxError';
  }
}
