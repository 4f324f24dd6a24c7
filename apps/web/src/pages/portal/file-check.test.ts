import { describe, expect, it } from 'vitest';
import { acceptAttribute, fileProblem, type UploadLimits } from './file-check.js';

const limits: UploadLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxFiles: 9,
  acceptedTypes: ['image/png', 'image/jpeg', 'video/mp4', 'text/plain'],
  acceptedExtensions: ['.png', '.jpg', 'jpeg', '.mp4', '.txt'],
};

describe('fileProblem', () => {
  it('accepts a photo and a video within the limit', () => {
    expect(fileProblem({ name: '冰箱.PNG', size: 1000, type: 'image/png' }, limits)).toBeNull();
    expect(fileProblem({ name: 'clip.mp4', size: 19 * 1024 * 1024, type: 'video/mp4' }, limits)).toBeNull();
  });
  it('refuses a file over the limit, naming the limit', () => {
    expect(fileProblem({ name: 'big.mp4', size: 20 * 1024 * 1024 + 1, type: 'video/mp4' }, limits))
      .toEqual({ reason: 'tooLarge', maxBytes: limits.maxBytes });
  });
  it('refuses a type the server does not take, and a known type under a foreign ending', () => {
    expect(fileProblem({ name: 'setup.exe', size: 10, type: 'application/x-msdownload' }, limits)).toEqual({ reason: 'wrongType' });
    expect(fileProblem({ name: 'page.html', size: 10, type: 'text/plain' }, limits)).toEqual({ reason: 'wrongType' });
    expect(fileProblem({ name: 'photo.heic', size: 10, type: '' }, limits)).toEqual({ reason: 'wrongType' });
  });
  it('judges an untyped file by its ending, and refuses an empty one', () => {
    expect(fileProblem({ name: 'notes.txt', size: 10, type: '' }, limits)).toBeNull();
    expect(fileProblem({ name: 'a.png', size: 0, type: 'image/png' }, limits)).toEqual({ reason: 'empty' });
  });
  it('offers the accepted kinds in the picker', () => {
    expect(acceptAttribute(limits)).toContain('image/png');
    expect(acceptAttribute(limits)).toContain('.txt');
  });
});
