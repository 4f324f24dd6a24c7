/** API calls of the customer merge (客户合并), beside the shared client (app/api.ts). */
import type { Customer, CustomerMerge, CustomerMergeResult } from '@closeloop/contract';
import { client, unwrap, type Items } from '../../app/api.js';

export interface MergePreview { tickets: number; identities: number }

const byId = (id: string) => ({ path: { id } });

export const customersApi = {
  search: (q: string): Promise<Items<Customer>> => unwrap(client.GET('/api/v1/customers', { params: { query: { q } } })),
  mergePreview: (id: string): Promise<MergePreview> =>
    unwrap(client.GET('/api/v1/customers/{id}/merge-preview', { params: byId(id) })),
  merge: (id: string, body: CustomerMerge): Promise<CustomerMergeResult> =>
    unwrap(client.POST('/api/v1/customers/{id}/merge', { params: byId(id), body })),
};
