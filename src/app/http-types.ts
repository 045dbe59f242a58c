/**
 * The few parts of Express's request and response the service uses. @types/express is not a
 * dependency, so these are declared here rather than imported.
 */
export interface HttpRequest {
  path: string;
  originalUrl: string;
  method: string;
  body?: unknown;
  header(name: string): string | undefined;
}

export interface HttpResponse {
  statusCode: number;
  headersSent: boolean;
  status(code: number): HttpResponse;
  type(contentType: string): HttpResponse;
  send(body: string): HttpResponse;
  json(body: unknown): HttpResponse;
}

export type NextFunction = (err?: unknown) => void;
