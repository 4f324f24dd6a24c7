/**
 * Checks a chosen file against the server's upload limits before anything is sent, so the
 * customer learns in the form (not after a failed submit) that a file is too large or of a kind
 * the server refuses. The server still decides by the bytes; this is the same rule said early.
 */
import type { PortalUploadLimits } from '@closeloop/contract';

export type UploadLimits = PortalUploadLimits;

const dotted = (e: string) => (e.startsWith('.') ? e : `.${e}`).toLowerCase();

export type FileProblem = { reason: 'tooLarge'; maxBytes: number } | { reason: 'wrongType' } | { reason: 'empty' };

export function fileProblem(file: { name: string; size: number; type: string }, limits: UploadLimits): FileProblem | null {
  if (file.size === 0) return { reason: 'empty' };
  const dot = file.name.lastIndexOf('.');
  const ext = dot >= 0 ? file.name.slice(dot).toLowerCase() : '';
  const extensions = limits.acceptedExtensions.map(dotted);
  const typeOk = file.type ? limits.acceptedTypes.includes(file.type.toLowerCase()) : false;
  // A known type must also carry a known ending (the server names text files by it); a file
  // the browser could not type is judged by its ending alone.
  if (!(typeOk || (!file.type && extensions.includes(ext))) || (ext && !extensions.includes(ext))) {
    return { reason: 'wrongType' };
  }
  if (file.size > limits.maxBytes) return { reason: 'tooLarge', maxBytes: limits.maxBytes };
  return null;
}

/** The `accept` attribute of the file input, so the picker offers the right files first. */
export function acceptAttribute(limits: UploadLimits): string {
  return [...limits.acceptedTypes, ...limits.acceptedExtensions.map(dotted)].join(',');
}

export const isImage = (type: string) => type.startsWith('image/');
export const isVideo = (type: string) => type.startsWith('video/');
