import { RESTJSONErrorCodes } from 'discord-api-types/v10';

/** A Discord JSON error response: the status and the body Discord sends with it. */
export interface ApiError {
  status: number;
  body: { message: string; code: number; errors?: Record<string, unknown> };
}

const apiError = (status: number, code: number, message: string, errors?: Record<string, unknown>) => ({
  status,
  body: errors ? { message, code, errors } : { message, code },
});

export const NOT_FOUND = apiError(404, RESTJSONErrorCodes.GeneralError, '404: Not Found');
export const METHOD_NOT_ALLOWED = apiError(405, RESTJSONErrorCodes.GeneralError, '405: Method Not Allowed');
export const UNAUTHORIZED = apiError(401, RESTJSONErrorCodes.GeneralError, '401: Unauthorized');
export const MISSING_ACCESS = apiError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access');
export const MISSING_PERMISSIONS = apiError(
  403,
  RESTJSONErrorCodes.MissingPermissions,
  'Missing Permissions',
);
export const UNKNOWN_CHANNEL = apiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
export const UNKNOWN_GUILD = apiError(404, RESTJSONErrorCodes.UnknownGuild, 'Unknown Guild');
export const UNKNOWN_MEMBER = apiError(404, RESTJSONErrorCodes.UnknownMember, 'Unknown Member');
/** Discord's answer to a DM the recipient does not accept (DMs from server members or the app turned off). */
export const CANNOT_MESSAGE_USER = apiError(
  403,
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
  'Cannot send messages to this user',
);
export const UNKNOWN_APPLICATION = apiError(
  404,
  RESTJSONErrorCodes.UnknownApplication,
  'Unknown Application',
);
export const UNKNOWN_MESSAGE = apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
export const UNKNOWN_WEBHOOK = apiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
export const EMPTY_MESSAGE = apiError(
  400,
  RESTJSONErrorCodes.CannotSendAnEmptyMessage,
  'Cannot send an empty message',
);

/** Discord's 50035 Invalid Form Body with its tree of field errors. */
export function invalidForm(errors: Record<string, unknown>): ApiError {
  return apiError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, 'Invalid Form Body', errors);
}

/** Invalid Form Body for one field. */
export function fieldError(field: string, code: string, message: string): ApiError {
  return invalidForm({ [field]: { _errors: [{ code, message }] } });
}
