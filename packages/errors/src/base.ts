/** Parameters every Tessera error takes. */
export type BaseErrorParameters = {
  /** Further facts: the offending value, the limit it broke. */
  details?: string | undefined;
  /** What the operator can do about it. */
  hint?: string | undefined;
  /** The lower-level error this one wraps. */
  cause?: unknown;
  /** Extra lines shown under the short message. */
  metaMessages?: string[] | undefined;
};

/**
 * The root of every error Tessera throws on purpose.
 *
 * `shortMessage` says what went wrong in one line; `details`, `hint` and `cause` follow in
 * the full message. Retry policy lives in the two subclasses: {@link RetryableError} and
 * {@link NonRetryableError}.
 *
 * @example
 * throw new BaseError('Update is larger than the byte cap.', { details: `${n} > ${cap}` });
 */
export class BaseError extends Error {
  override name = 'BaseError';
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly hint: string | undefined;
  readonly metaMessages: string[] | undefined;

  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    const lines = [shortMessage];
    if (parameters.metaMessages?.length) lines.push('', ...parameters.metaMessages);
    if (parameters.details) lines.push('', `Details: ${parameters.details}`);
    if (parameters.hint) lines.push(`Hint: ${parameters.hint}`);
    super(lines.join('\n'), parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.details = parameters.details;
    this.hint = parameters.hint;
    this.metaMessages = parameters.metaMessages;
  }

  /** Walks the cause chain and returns the first error `predicate` accepts. */
  walk(predicate: (error: unknown) => boolean): unknown {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the walk starts at this error
    let current: unknown = this;
    for (let depth = 0; current !== undefined && depth < 32; depth++) {
      if (predicate(current)) return current;
      current = current instanceof Error ? current.cause : undefined;
    }
    return undefined;
  }
}

/** An error a retry may cure: an RPC timeout, a Redis blip, a store that did not answer. */
export class RetryableError extends BaseError {
  override name = 'RetryableError';
  readonly retryable = true as const;
}

/** An error no retry can cure: malformed bytes, a wrong digest, an invalid config. */
export class NonRetryableError extends BaseError {
  override name = 'NonRetryableError';
  readonly retryable = false as const;
}

/**
 * A {@link RetryableError} with a stable reason code (kebab-case) for logs, metrics and retry
 * policy; a package's error names itself and narrows `R`.
 *
 * @example
 * export class RetryableSyncError extends RetryableReasonError<RetryableSyncReason> {
 *   override name = 'RetryableSyncError';
 * }
 */
export class RetryableReasonError<R extends string> extends RetryableError {
  override name = 'RetryableReasonError';
  /** Stable code for logs, metrics and retry policy. */
  readonly reason: R;

  constructor(reason: R, shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(shortMessage, parameters);
    this.reason = reason;
  }
}

/**
 * A {@link NonRetryableError} with a stable reason code (kebab-case) for logs, metrics and
 * rejection reasons; a package's error names itself and narrows `R`.
 *
 * @example
 * export class DataError extends NonRetryableReasonError<DataReason> {
 *   override name = 'DataError';
 * }
 * throw new DataError('bad-tokens', 'Token id outside the vocabulary.');
 */
export class NonRetryableReasonError<R extends string> extends NonRetryableError {
  override name = 'NonRetryableReasonError';
  /** Stable code for logs, metrics and rejection reasons. */
  readonly reason: R;

  constructor(reason: R, shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(shortMessage, parameters);
    this.reason = reason;
  }
}

/** True when `error` (or anything in its cause chain) says a retry may help. */
export function isRetryable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 32; depth++) {
    if (current instanceof NonRetryableError) return false;
    if (current instanceof RetryableError) return true;
    current = current.cause;
  }
  return false;
}
