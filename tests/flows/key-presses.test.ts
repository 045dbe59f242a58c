import { describe, expect, it } from 'vitest';
import { parseKeys } from '../../src/core/flows/key-presses.js';
describe('the key shorthand of traces and --keys', () => {
  it('reads keys pressed as the prompt ends, keys with @seconds, and says which key is wrong', () => {
  expect(parseKeys('2,1')).toEqual([{ key: '2' }, { key: '1' }]);
  expect(parseKeys(' 2@3.1 , 1 ')).toEqual([{ key: '2', afterSec: 3.1 }, { key: '1' }]);
  expect(parseKeys('')).toEqual([]);
  expect(parseKeys('#,*@0')).toEqual([{ key: '#' }, { key: '*', afterSec: 0 }]);
  expect(() => parseKeys('1,x')).toThrow('key 2 "x": expected a DTMF key');
  expect(() => parseKeys('12')).toThrow('key 1 "12": expected');
  expect(() => parseKeys('1@')).toThrow('key 1 "1@": "@" must be a number');
  expect(() => parseKeys('1@-2')).toThrow('must be a number of seconds >= 0');
  expect(() => parseKeys('1,,2')).toThrow('key 2 "": expected');
  expect(() => parseKeys('1@2@3')).toThrow();
  });
});
