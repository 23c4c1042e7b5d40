export type { HttpHandler } from './handler.js';
export { createHttpHandler } from './handler.js';
export type { HttpErrorBody } from './http-errors.js';
export type { HttpHandlerOptions, MetricsRegistry, Principal } from './http-options.js';
export type { HttpServer, ServeOptions } from './serve.js';
export { serve } from './serve.js';
