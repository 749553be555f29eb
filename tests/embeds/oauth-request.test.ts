import {
  OAuthError,
  readTokenRequest,
  redactedQuerystring,
} from '../../src/plugins/api-tokens/server/src/oauth/token-request';
import { isJwtShaped } from '../../src/plugins/api-tokens/server/src/oauth/access-token';

const basic = (value: string) => `Basic ${Buffer.from(value).toString('base64')}`;
const GRANT = { grant_type: 'client_credentials' };

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OAuthError);
    const { status, error: code } = error as OAuthError;
    return { status, code };
  }
  throw new Error('expected an OAuthError');
};

describe('readTokenRequest', () => {
  it('reads HTTP Basic credentials, form-decoded, whatever the scheme case', () => {
    expect(readTokenRequest(basic('doc1:rht_secret'), GRANT)).toEqual({ clientId: 'doc1', clientSecret: 'rht_secret' });
    expect(readTokenRequest(basic('doc%201:a:b'), { ...GRANT, scope: 'data audit' })).toEqual({
      clientId: 'doc 1',
      clientSecret: 'a:b',
    });
    expect(readTokenRequest(`basic ${Buffer.from('d:s').toString('base64')}`, GRANT)).toEqual({
      clientId: 'd',
      clientSecret: 's',
    });
  });

  it('reads client_id and client_secret fields when there is no Basic header', () => {
    expect(readTokenRequest(undefined, { ...GRANT, client_id: 'd', client_secret: 's' })).toEqual({
      clientId: 'd',
      clientSecret: 's',
    });
    expect(readTokenRequest('Bearer whatever', { ...GRANT, client_id: 'd', client_secret: 's' })).toEqual({
      clientId: 'd',
      clientSecret: 's',
    });
  });

  it.each([
    ['no grant_type', undefined, {}, 400, 'invalid_request'],
    ['an empty grant_type', basic('d:s'), { grant_type: '' }, 400, 'invalid_request'],
    ['another grant', basic('d:s'), { grant_type: 'password' }, 400, 'unsupported_grant_type'],
    ['a repeated grant_type', basic('d:s'), { grant_type: ['client_credentials', 'x'] }, 400, 'invalid_request'],
    ['two ways of authenticating', basic('d:s'), { ...GRANT, client_id: 'd' }, 400, 'invalid_request'],
    ['no credentials', undefined, GRANT, 401, 'invalid_client'],
    ['a client_id alone', undefined, { ...GRANT, client_id: 'd' }, 401, 'invalid_client'],
    ['Basic without a colon', basic('just-a-secret'), GRANT, 401, 'invalid_client'],
  ])('refuses %s', (_name, header, params, status, code) => {
    expect(refusal(() => readTokenRequest(header, params as Record<string, unknown>))).toEqual({ status, code });
  });
});

describe('redactedQuerystring', () => {
  it('replaces the secret, however its name is encoded, and leaves other query strings alone', () => {
    expect(redactedQuerystring('grant_type=client_credentials&client_id=d&client_secret=rht_x')).toBe(
      'grant_type=client_credentials&client_id=d&client_secret=REDACTED'
    );
    expect(redactedQuerystring('client%5Fsecret=rht_x')).toBe('client_secret=REDACTED');
    expect(redactedQuerystring('grant_type=client_credentials&scope=data%20audit')).toBeNull();
  });
});

describe('isJwtShaped', () => {
  it('tells a JWT from an API token by its shape alone', () => {
    expect(isJwtShaped('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl')).toBe(true);
    expect(isJwtShaped('rht_0123456789012345678901234567890123456789012_abcdef')).toBe(false);
    expect(isJwtShaped('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0')).toBe(false);
    expect(isJwtShaped('eyJ.a b.c')).toBe(false);
  });
});
