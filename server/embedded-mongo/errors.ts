// MongoDB server errors as the driver expects them: numeric code, codeName and optional labels.

export const ErrorCodes = {
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  Unauthorized: 13,
  InvalidLength: 16,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  InvalidIdField: 53,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  WriteConflict: 112,
  CommandNotSupported: 115,
  NoSuchTransaction: 251,
  TransactionTooOld: 225,
  Location10334: 10334,
  DuplicateKey: 11000,
  Location40324: 40324,
  InvalidPipelineOperator: 168,
  OperationNotSupportedInTransaction: 263,
  Location16755: 16755,
} as const;

const names = new Map<number, string>(Object.entries(ErrorCodes).map(([k, v]) => [v, k]));

export class MongoServerError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly labels: string[];
  readonly extra: Record<string, unknown>;

  constructor(code: number, message: string, extra: Record<string, unknown> = {}, labels: string[] = []) {
    super(message);
    this.code = code;
    this.codeName = names.get(code) ?? 'UnknownError';
    this.extra = extra;
    this.labels = labels;
  }

  /** The body of an `ok: 0` reply. */
  toReply(): Record<string, unknown> {
    const reply: Record<string, unknown> = { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
    if (this.labels.length > 0) reply.errorLabels = this.labels;
    return reply;
  }

  /** An entry of `writeErrors[]` for a write command. */
  toWriteError(index: number): Record<string, unknown> {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

export function writeConflict(): MongoServerError {
  return new MongoServerError(
    ErrorCodes.WriteConflict,
    'Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.',
    {},
    ['TransientTransactionError'],
  );
}

export function badValue(message: string): MongoServerError {
  return new MongoServerError(ErrorCodes.BadValue, message);
}

export function failedToParse(message: string): MongoServerError {
  return new MongoServerError(ErrorCodes.FailedToParse, message);
}
