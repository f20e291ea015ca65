/**
 * Errors of the schema registry, with Confluent's wire codes
 * (`core/.../rest/exceptions/Errors.java` in confluentinc/schema-registry).
 *
 * Every failure a user can cause is a `RegistryError` carrying the HTTP status and the
 * registry `error_code` that Confluent answers with, so the in-process API and the REST
 * listener report exactly the same thing. The HTTP edge turns one into
 * `{"error_code": N, "message": "..."}` and nothing else: Confluent's Java client fails on
 * unknown fields in error bodies.
 */

export const ErrorCodes = {
  subjectNotFound: 40401,
  versionNotFound: 40402,
  schemaNotFound: 40403,
  subjectSoftDeleted: 40404,
  subjectNotSoftDeleted: 40405,
  versionSoftDeleted: 40406,
  versionNotSoftDeleted: 40407,
  subjectCompatibilityNotConfigured: 40408,
  subjectModeNotConfigured: 40409,
  incompatibleSchema: 409,
  invalidSchema: 42201,
  invalidVersion: 42202,
  invalidCompatibilityLevel: 42203,
  invalidMode: 42204,
  operationNotPermitted: 42205,
  referenceExists: 42206,
  idDoesNotMatch: 42207,
  invalidSubject: 42208,
  schemaTooLarge: 42209,
  invalidRuleSet: 42210,
  contextNotEmpty: 42211,
  storeError: 50001,
  operationTimeout: 50002,
  unknownLeader: 50004,
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export class RegistryError extends Error {
  readonly errorCode: ErrorCode;
  readonly httpStatus: number;

  constructor(errorCode: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RegistryError';
    this.errorCode = errorCode;
    this.httpStatus = errorCode === 409 ? 409 : Math.floor(errorCode / 100);
  }

  /** The exact REST body Confluent sends. */
  toJSON(): { error_code: number; message: string } {
    return { error_code: this.errorCode, message: this.message };
  }
}

export const Errors = {
  subjectNotFound: (subject: string) =>
    new RegistryError(ErrorCodes.subjectNotFound, `Subject '${subject}' not found.`),
  versionNotFound: (version: number) =>
    new RegistryError(ErrorCodes.versionNotFound, `Version ${version} not found.`),
  schemaNotFound: (id?: number) =>
    new RegistryError(ErrorCodes.schemaNotFound, id === undefined ? 'Schema not found' : `Schema ${id} not found`),
  subjectSoftDeleted: (subject: string) =>
    new RegistryError(ErrorCodes.subjectSoftDeleted, `Subject '${subject}' was soft deleted.Set permanent=true to delete permanently`),
  subjectNotSoftDeleted: (subject: string) =>
    new RegistryError(ErrorCodes.subjectNotSoftDeleted, `Subject '${subject}' was not deleted first before being permanently deleted`),
  versionSoftDeleted: (subject: string, version: number) =>
    new RegistryError(ErrorCodes.versionSoftDeleted, `Subject '${subject}' Version ${version} was soft deleted.Set permanent=true to delete permanently`),
  versionNotSoftDeleted: (subject: string, version: number) =>
    new RegistryError(ErrorCodes.versionNotSoftDeleted, `Subject '${subject}' Version ${version} was not deleted first before being permanently deleted`),
  subjectCompatibilityNotConfigured: (subject: string) =>
    new RegistryError(ErrorCodes.subjectCompatibilityNotConfigured, `Subject '${subject}' does not have subject-level compatibility configured`),
  subjectModeNotConfigured: (subject: string) =>
    new RegistryError(ErrorCodes.subjectModeNotConfigured, `Subject '${subject}' does not have subject-level mode configured`),
  incompatibleSchema: (subject: string, details: readonly string[]) =>
    new RegistryError(
      ErrorCodes.incompatibleSchema,
      `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${details.join(', ')}]`,
    ),
  invalidSchema: (message: string, cause?: unknown) => new RegistryError(ErrorCodes.invalidSchema, message, { cause }),
  invalidVersion: (version: string) =>
    new RegistryError(
      ErrorCodes.invalidVersion,
      `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
    ),
  invalidCompatibilityLevel: () =>
    new RegistryError(
      ErrorCodes.invalidCompatibilityLevel,
      'Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive',
    ),
  invalidMode: () =>
    new RegistryError(ErrorCodes.invalidMode, 'Invalid mode. Valid values are READWRITE, READONLY, READONLY_OVERRIDE, IMPORT.'),
  operationNotPermitted: (message: string) => new RegistryError(ErrorCodes.operationNotPermitted, message),
  referenceExists: (subject: string, version: number) =>
    new RegistryError(
      ErrorCodes.referenceExists,
      `One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=${subject},version=${version}}.`,
    ),
  idDoesNotMatch: (existingId: number, requestedId: number) =>
    new RegistryError(ErrorCodes.idDoesNotMatch, `Schema already registered with id ${existingId} instead of input id ${requestedId}`),
  invalidSubject: (subject: string) =>
    new RegistryError(ErrorCodes.invalidSubject, `The specified subject '${subject}' is not a valid.`),
  schemaTooLarge: () => new RegistryError(ErrorCodes.schemaTooLarge, 'Register operation failed because schema is too large'),
  store: (message: string, cause?: unknown) => new RegistryError(ErrorCodes.storeError, message, { cause }),
};

/** Errors of the serializers: not REST errors, but the same one base class per fault. */
export class SerializationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SerializationError';
  }
}
