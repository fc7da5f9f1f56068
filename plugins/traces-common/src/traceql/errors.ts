/**
 * A value or query that cannot safely become part of a TraceQL query. Backends should answer it
 * with 400 Bad Request: it is caused by the caller's input, not by a fault on the server.
 */
export class TraceQLInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceQLInputError';
  }
}

/**
 * A user-supplied TraceQL query that does not parse, or that uses a construct which cannot be scoped
 * safely. `from` and `to` are UTF-16 offsets into the query, as used by CodeMirror and lezer.
 */
export class TraceQLSyntaxError extends TraceQLInputError {
  readonly from: number;
  readonly to: number;

  constructor(message: string, from: number, to: number) {
    super(message);
    this.name = 'TraceQLSyntaxError';
    this.from = from;
    this.to = to;
  }
}
