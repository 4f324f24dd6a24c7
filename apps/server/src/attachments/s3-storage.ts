/**
 * Attachment bytes on S3-compatible storage (AWS S3, MinIO, 阿里云 OSS, 腾讯云 COS …), so several
 * instances behind one load balancer serve each other's uploads. Uploads stream from the staging
 * file in parts (lib-storage: at most partSize × queueSize bytes in memory, whatever the file's
 * size); downloads stream the object's body straight into the response.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command,
  S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3Config } from '../config.js';
import { notFound } from '../http/app-error.js';
import { STORAGE_KEY, type AttachmentStorage, type StoredObject } from './storage-types.js';

const PART_SIZE = 8 * 1024 * 1024;

function checked(key: string): string {
  // Keys come from storageKey(); anything else must not reach the bucket.
  if (!STORAGE_KEY.test(key)) throw new Error(`bad storage key ${key}`);
  return key;
}

function isMissing(err: unknown): boolean {
  return err instanceof S3ServiceException && (err.name === 'NoSuchKey' || err.$metadata.httpStatusCode === 404);
}

export function s3Storage(config: S3Config): AttachmentStorage & { client: S3Client } {
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
  });
  const Bucket = config.bucket;
  return {
    client,
    async put(key, stagedPath) {
      const { size } = await fsp.stat(stagedPath);
      const upload = new Upload({
        client, partSize: PART_SIZE, queueSize: 2,
        params: { Bucket, Key: checked(key), Body: fs.createReadStream(stagedPath), ContentLength: size },
      });
      await upload.done();
      await fsp.rm(stagedPath, { force: true });
    },
    async open(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket, Key: checked(key) }));
        return res.Body as Readable;
      } catch (err) {
        if (isMissing(err)) throw notFound('attachment file');
        throw err;
      }
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: checked(key) }));
    },
    async *list(monthPrefix) {
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: monthPrefix, ContinuationToken, MaxKeys: 1000 }));
        for (const o of page.Contents ?? []) {
          if (o.Key && STORAGE_KEY.test(o.Key)) yield { key: o.Key, modifiedAt: o.LastModified ?? new Date(0) } satisfies StoredObject;
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
    async abortStaleParts(cutoff) {
      // A crash in the middle of a large upload leaves its parts behind (billed, invisible).
      let aborted = 0;
      try {
        const res = await client.send(new ListMultipartUploadsCommand({ Bucket }));
        for (const u of res.Uploads ?? []) {
          if (u.Key && u.UploadId && u.Initiated && u.Initiated < cutoff && STORAGE_KEY.test(u.Key)) {
            await client.send(new AbortMultipartUploadCommand({ Bucket, Key: u.Key, UploadId: u.UploadId }));
            aborted++;
          }
        }
      } catch (err) {
        // Some S3-compatible servers do not list uploads; a bucket lifecycle rule then does it (docs).
        if (err instanceof S3ServiceException && err.name === 'NotImplemented') return 0;
        throw err;
      }
      return aborted;
    },
  };
}
