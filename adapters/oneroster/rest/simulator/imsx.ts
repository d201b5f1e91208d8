/** OneRoster's error envelope (imsx_StatusInfo) and the errors the simulator answers with. */
export type CodeMinor =
  | 'invalid_filter_field'
  | 'invalid_selection_field'
  | 'invalid_data'
  | 'unauthorisedrequest'
  | 'forbidden'
  | 'server_busy'
  | 'unknownobject'
  | 'internal_server_error'
  | 'unsupported';

export function imsxStatus(codeMinor: CodeMinor, description: string, codeMajor: 'failure' | 'unsupported' = 'failure') {
  return {
    imsx_codeMajor: codeMajor,
    imsx_severity: 'error',
    imsx_description: description,
    imsx_CodeMinor: {
      imsx_codeMinorField: [{ imsx_codeMinorFieldName: 'TargetEndSystemReference', imsx_codeMinorFieldValue: codeMinor }],
    },
  };
}

/** Thrown while answering a data request; the server turns it into the HTTP status and the envelope. */
export class ImsxError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly codeMinor: CodeMinor,
    description: string,
  ) {
    super(description);
  }

  body() {
    return imsxStatus(this.codeMinor, this.message, this.codeMinor === 'unsupported' ? 'unsupported' : 'failure');
  }
}

export const badRequest = (codeMinor: CodeMinor, description: string) => new ImsxError(400, codeMinor, description);
export const notFound = (description: string) => new ImsxError(404, 'unknownobject', description);
