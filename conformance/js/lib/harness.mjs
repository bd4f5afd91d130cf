// The check runner: named checks run one after the other, each with a deadline; a failure
// says which check, what was expected and what came. The last line printed is
// `N passed, N failed`.

import { inspect } from 'node:util';

/** Thrown by the expectations below; carries what was expected and what came. */
export class CheckFailure extends Error {
  constructor(what, expected, actual) {
    super(what);
    this.expected = expected;
    this.actual = actual;
  }
}

/** A readable, bounded rendering of any value. */
export function show(value) {
  return inspect(value, { depth: 6, breakLength: 100, maxArrayLength: 20, maxStringLength: 400 });
}

/** Fails unless `actual` and `expected` are deeply equal. */
export function expectEqual(what, actual, expected) {
  if (!isDeepEqual(actual, expected)) {
    throw new CheckFailure(what, expected, actual);
  }
}

/** Fails unless `condition` holds; `actual` is shown as what came. */
export function expectThat(what, condition, expected, actual) {
  if (!condition) {
    throw new CheckFailure(what, expected, actual);
  }
}

/** Fails with `what`, showing `actual`. */
export function fail(what, expected, actual) {
  throw new CheckFailure(what, expected, actual);
}

function isDeepEqual(a, b) {
  if (a instanceof Date && b instanceof Date) {
    return a.getTime() === b.getTime();
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => isDeepEqual(item, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && isDeepEqual(a[key], b[key]))
    );
  }
  return Object.is(a, b);
}

/**
 * Polls `probe` until it returns a value other than `undefined`, or fails after `timeoutMs`
 * naming `what` (with `lastSeen()`, when given, as what came).
 */
export async function waitFor(what, probe, { timeoutMs = 10_000, lastSeen } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new CheckFailure(
        `timed out waiting for ${what}`,
        what,
        lastSeen ? lastSeen() : 'nothing',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** An ordered list of named checks. */
export class Suite {
  #checks = [];

  /** Adds a check: `run` is an async function that throws to fail. */
  check(name, run) {
    this.#checks.push({ name, run });
  }

  /** Runs every check in order and prints each result; answers the counts. */
  async run({ timeoutMs = 30_000, write = (line) => console.log(line) } = {}) {
    let passed = 0;
    let failed = 0;
    for (const { name, run } of this.#checks) {
      const error = await runWithDeadline(run, timeoutMs);
      if (error === undefined) {
        passed += 1;
        write(`ok   ${name}`);
      } else {
        failed += 1;
        write(`FAIL ${name}`);
        for (const line of describeFailure(error)) {
          write(`       ${line}`);
        }
      }
    }
    return { passed, failed };
  }
}

async function runWithDeadline(run, timeoutMs) {
  let timer;
  const deadline = new Promise((resolve) => {
    timer = setTimeout(
      () => resolve(new CheckFailure(`did not finish within ${timeoutMs} ms`, 'an answer', 'none')),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      Promise.resolve()
        .then(run)
        .then(
          () => undefined,
          (error) => error ?? new Error('rejected without a reason'),
        ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function describeFailure(error) {
  if (error instanceof CheckFailure) {
    return [
      error.message,
      `expected: ${show(error.expected)}`,
      `got:      ${show(error.actual)}`,
    ].flatMap((text) => text.split('\n'));
  }
  return [`unexpected error: ${describeError(error)}`].flatMap((text) => text.split('\n'));
}

/** One line about an error the SDK threw: status, application code or violations, message. */
export function describeError(error) {
  if (!(error instanceof Error)) {
    return show(error);
  }
  const parts = [];
  if (error.status !== undefined) {
    parts.push(`HTTP ${error.status}`);
  }
  const code = error.details?.applicationError?.code;
  if (code !== undefined) {
    parts.push(`code ${code}`);
  }
  const violations = error.details?.validationError?.fieldViolations;
  if (violations) {
    parts.push(`violations ${show(violations)}`);
  }
  if (parts.length === 0) {
    parts.push(error.message);
  }
  return parts.join(', ');
}
