/** What the SDK posts into the viewer's frame when it has a fresh token. */
export const TOKEN_MESSAGE = 'reporting-hub:embed-token';

export interface TokenMessage {
  type: typeof TOKEN_MESSAGE;
  token: string;
}

export const isTokenMessage = (data: unknown): data is TokenMessage =>
  typeof data === 'object' &&
  data !== null &&
  (data as TokenMessage).type === TOKEN_MESSAGE &&
  typeof (data as TokenMessage).token === 'string';
