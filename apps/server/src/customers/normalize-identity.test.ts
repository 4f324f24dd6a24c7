import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizeExternalId, normalizePhone } from './normalize-identity.js';

describe('identity normalisation', () => {
  it('keeps the digits of a phone number and one leading +', () => {
    expect(normalizePhone(' 138 0013 8000 ')).toBe('13800138000');
    expect(normalizePhone('400-820-8820')).toBe('4008208820');
    expect(normalizePhone('+1 415-555-0100')).toBe('+14155550100');
  });

  it('treats a mainland mobile number with +86 / 0086 as the same number', () => {
    expect(normalizePhone('+86 138-0013-8000')).toBe('13800138000');
    expect(normalizePhone('0086 13800138000')).toBe('13800138000');
    // A landline keeps its country code: only mobiles are folded.
    expect(normalizePhone('+86 10 6552 9988')).toBe('+861065529988');
  });

  it('lower-cases e-mail addresses', () => {
    expect(normalizeEmail(' Zhang.San@Example.COM ')).toBe('zhang.san@example.com');
  });

  it('lower-cases the source of an external id but keeps the id as sent', () => {
    expect(normalizeExternalId('Taobao:Buyer123')).toBe('taobao:Buyer123');
  });
});
