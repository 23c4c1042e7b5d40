import { invalidParam, type Params } from './params.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * `writeInput`'s `data`: text, or base64 with `encoding: 'base64'` (bytes that are not UTF-8).
 * @throws ProtocolError naming `data` or `encoding`.
 */
export function decodeInput(params: Params): string | Uint8Array {
  const { data, encoding } = params;
  if (encoding !== undefined && encoding !== null && encoding !== 'base64' && encoding !== 'utf8') {
    throw invalidParam('encoding', "'base64' or absent", encoding);
  }
  if (typeof data !== 'string') throw invalidParam('data', 'a string', data);
  if (encoding !== 'base64') return data;
  if (data.length % 4 !== 0 || !BASE64.test(data)) throw invalidParam('data', 'base64 text', data);
  return new Uint8Array(Buffer.from(data, 'base64'));
}
