/**
 * The stored form of a customer identity, so "+86 138-0013-8000" typed by an agent and
 * "+8613800138000" sent by an integration find the same customer.
 */
export type IdentityKind = 'phone' | 'email' | 'external';

/**
 * Digits only, keeping one leading `+`; a mainland mobile number with the +86 / 0086 country
 * code is the same as without it. Must agree with what intake stores (find-or-create-customer.ts).
 */
export function normalizePhone(value: string): string {
  const trimmed = value.trim();
  const digits = trimmed.replace(/\D/g, '');
  const compact = trimmed.startsWith('+') ? `+${digits}` : digits;
  const mobile = /^(?:\+86|0086)(1\d{10})$/.exec(compact);
  return mobile ? mobile[1]! : compact;
}

export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** `source:id`: the source is case-insensitive, the id in the other system is kept as sent. */
export function normalizeExternalId(value: string): string {
  const trimmed = value.trim();
  const i = trimmed.indexOf(':');
  return i < 0 ? trimmed : `${trimmed.slice(0, i).toLowerCase()}${trimmed.slice(i)}`;
}

export function normalizeIdentity(kind: IdentityKind, value: string): string {
  switch (kind) {
    case 'phone': return normalizePhone(value);
    case 'email': return normalizeEmail(value);
    case 'external': return normalizeExternalId(value);
  }
}
