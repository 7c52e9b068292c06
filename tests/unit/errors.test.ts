import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  isUserFacingError,
  RunFailedError,
  USER_FACING_ERROR_NAMES,
  ValidationError,
} from '../../lib/errors.ts';

describe('user-facing errors', () => {
  it('are ours, by class in process and by name in a Lambda failure record', () => {
    expect(isUserFacingError(new ValidationError('time', 'expected HH:MM'))).toBe(true);
    expect(isUserFacingError(new RunFailedError('every destination failed'))).toBe(true);
    expect(isUserFacingError(new Error('arn:aws:iam::123456789012:role/x is not authorized'))).toBe(false);
    expect(isUserFacingError(Object.assign(new Error('x'), { name: 'ValidationError' }))).toBe(false);
    expect(USER_FACING_ERROR_NAMES.has(new ConflictError('Task x').name)).toBe(true);
    expect(USER_FACING_ERROR_NAMES.has('RunInProgressError')).toBe(true);
    expect(USER_FACING_ERROR_NAMES.has('AccessDeniedException')).toBe(false);
  });
});
