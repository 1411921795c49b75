/** Application errors: a GraphQLError whose `extensions.code` is one of @quanzi/shared's ErrorCode. */
import { GraphQLError } from 'graphql';
import { ErrorCode } from '@quanzi/shared';

export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...details } });
  }
}

export const badInput = (message: string, field?: string): AppError =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
export const forbidden = (message = 'You are not allowed to do this'): AppError => new AppError(ErrorCode.FORBIDDEN, message);
export const unauthenticated = (message = 'Sign in first'): AppError => new AppError(ErrorCode.UNAUTHENTICATED, message);
export const notFound = (what: string): AppError => new AppError(ErrorCode.NOT_FOUND, `${what} not found`);
