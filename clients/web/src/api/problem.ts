import type { FieldProblem, ProblemDocument } from './types';

/** A refusal from the server, carrying its RFC 9457 problem document. */
export class ProblemError extends Error {
  readonly status: number;
  readonly problem: ProblemDocument;

  constructor(problem: ProblemDocument) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.name = 'ProblemError';
    this.status = problem.status;
    this.problem = problem;
  }

  get fieldProblems(): FieldProblem[] {
    return this.problem.errors ?? [];
  }

  /** True when the server did not recognise a request member (a feature it lacks). */
  mentionsUnknownMember(member: string): boolean {
    return this.fieldProblems.some(
      (problem) => problem.field === member && problem.message.startsWith('unknown member'),
    );
  }
}

/** A response body that ended before the server said it was complete. */
export class TransferError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TransferError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldProblems(value: unknown): FieldProblem[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isRecord).map((entry) => {
    const problem: FieldProblem = {
      field: typeof entry.field === 'string' ? entry.field : '',
      message: typeof entry.message === 'string' ? entry.message : '',
    };
    if (typeof entry.row === 'number') problem.row = entry.row;
    return problem;
  });
}

/** Reads a problem document out of any JSON value, filling gaps from the HTTP status. */
export function toProblem(body: unknown, status: number, statusText: string): ProblemDocument {
  const source = isRecord(body) ? body : {};
  const problem: ProblemDocument = {
    type: typeof source.type === 'string' ? source.type : 'about:blank',
    title: typeof source.title === 'string' ? source.title : statusText || `HTTP ${status}`,
    status: typeof source.status === 'number' ? source.status : status,
    detail: typeof source.detail === 'string' ? source.detail : statusText || `HTTP ${status}`,
  };
  if (typeof source.instance === 'string') problem.instance = source.instance;
  const errors = fieldProblems(source.errors);
  if (errors) problem.errors = errors;
  return problem;
}

/** Turns a non-2xx response into a ProblemError (reading problem+json when present). */
export async function problemFromResponse(response: Response): Promise<ProblemError> {
  let body: unknown;
  const text = await response.text().catch(() => '');
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = { detail: text.slice(0, 300) };
  }
  return new ProblemError(toProblem(body, response.status, response.statusText));
}

/** One line for any error, for banners. */
export function describeError(error: unknown): string {
  if (error instanceof ProblemError) {
    const first = error.fieldProblems[0];
    const suffix = first ? ` (${first.field}: ${first.message})` : '';
    return `${error.problem.title}: ${error.problem.detail}${suffix}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
