/**
 * Error types thrown by the configuration module, and strerror() texts for the
 * file-system failures whose messages Redis shows to users.
 *
 * Invariants: ConfigSetError.message is the whole error reply after '-' (it starts with
 * the error code, e.g. "ERR ..."); ConfigFileError.message is exactly what redis-server
 * prints to stderr before exiting. Imports nothing from src.
 */

export class ConfigSetError extends Error {
  override name = 'ConfigSetError';
}

export class ConfigFileError extends Error {
  override name = 'ConfigFileError';
}

const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
  EEXIST: 'File exists',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EMFILE: 'Too many open files',
  EIO: 'Input/output error',
  EDQUOT: 'Disk quota exceeded',
  EBUSY: 'Device or resource busy',
};

/** The C library's message for a Node fs error (falls back to Node's own text). */
export function strerror(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e && typeof e.code === 'string' && STRERROR[e.code] !== undefined) return STRERROR[e.code]!;
  return e && typeof e.message === 'string' ? e.message : String(err);
}
