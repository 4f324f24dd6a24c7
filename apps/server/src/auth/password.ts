/**
 * Password hashing (argon2id with the library's OWASP-level defaults) and generated passwords.
 * A dummy hash lets a sign-in for an unknown user cost the same time as one for a real user.
 */
import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { randomSecret } from './secrets.js';

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash never signs anyone in
  }
}

let dummy: Promise<string> | null = null;
/** Verifies against a throw-away hash and answers false: same work as a real check. */
export async function verifyDummy(password: string): Promise<false> {
  dummy ??= hashPassword(randomSecret());
  await verifyPassword(await dummy, password);
  return false;
}

// No 0/O, 1/l/I: generated passwords are read off a terminal and typed by hand.
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function generatePassword(length = 16): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}
