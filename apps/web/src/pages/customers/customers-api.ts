/** API calls of the customer merge (客户合并), beside the shared client (app/api.ts). */
import type { Customer, CustomerMerge, CustomerMergeResult } from '@closeloop/contract';
import { request, type Items } from '../../app/api.js';

export interface MergePreview { tickets: number; identities: number }

export const customersApi = {
  search: (q: string) => request<Items<Customer>>('GET', '/customers', { query: { q } }),
  mergePreview: (id: string) => request<MergePreview>('GET', `/customers/${id}/merge-preview`),
  merge: (id: string, body: CustomerMerge) => request<CustomerMergeResult>('POST', `/customers/${id}/merge`, { body }),
};
