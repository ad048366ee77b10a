/**
 * Structured JSON logs, one object per line (CloudWatch Logs Insights reads them as fields).
 * Values under keys that name a credential are replaced, so a secret cannot reach a log line
 * even by mistake.
 */
type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

const SECRET_KEY = /(authorization|api[_-]?key|auth[_-]?string|password|token|secret)(?!.*arn)/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) ? '[redacted]' : redact(inner, depth + 1)]),
  );
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(service: string, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  const emit = (level: Level, message: string, fields: Record<string, unknown> = {}) =>
    write(JSON.stringify({ level, timestamp: new Date().toISOString(), service, message, ...(redact(fields) as object) }));
  return {
    debug: (m, f) => emit('DEBUG', m, f),
    info: (m, f) => emit('INFO', m, f),
    warn: (m, f) => emit('WARN', m, f),
    error: (m, f) => emit('ERROR', m, f),
  };
}
