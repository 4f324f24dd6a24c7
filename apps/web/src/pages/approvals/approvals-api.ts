/** The approval-flow endpoints (designer, instances, tasks, workbench boxes), beside their only callers. */
import { useQuery } from '@tanstack/react-query';
import type {
  ApprovalBox, ApprovalGate, FlowDefinition, FlowField, FlowInstanceView, FlowTree, FlowValidation,
  FlowDefinitionCreate, FlowDefinitionUpdate, TaskAddSigner, TaskApprove, TaskReject, TaskReturn, TaskTransfer,
  ApprovalBoxItem,
} from '@closeloop/contract';
import { request } from '../../app/api.js';
import type { TreeInput } from './tree-ops.js';

export type FlowSummary = Omit<FlowDefinition, 'draft' | 'activeVersion'>;
export interface BoxPage { items: ApprovalBoxItem[]; nextCursor: string | null; todoCount: number }

export const approvalsApi = {
  flows: (gate?: ApprovalGate) => request<{ items: FlowSummary[] }>('GET', '/approval-flows', { query: { gate } }),
  flow: (id: string) => request<FlowDefinition>('GET', `/approval-flows/${id}`),
  create: (body: FlowDefinitionCreate) => request<FlowDefinition>('POST', '/approval-flows', { body }),
  update: (id: string, body: Omit<FlowDefinitionUpdate, 'draft'> & { draft?: TreeInput }) => request<FlowDefinition>('PATCH', `/approval-flows/${id}`, { body }),
  remove: (id: string) => request<{ ok: true }>('DELETE', `/approval-flows/${id}`),
  validate: (id: string, tree?: TreeInput | FlowTree) => request<FlowValidation>('POST', `/approval-flows/${id}/validate`, { body: tree ? { tree } : {} }),
  publish: (id: string, version: number) => request<FlowDefinition>('POST', `/approval-flows/${id}/publish`, { body: { version } }),
  fields: (gate: ApprovalGate) => request<{ gate: ApprovalGate; fields: FlowField[] }>('GET', '/approval-flows/fields', { query: { gate } }),
  ticketApprovals: (ticketId: string) => request<{ items: FlowInstanceView[] }>('GET', `/tickets/${ticketId}/approvals`),
  approve: (taskId: string, body: TaskApprove) => request<FlowInstanceView>('POST', `/approval-tasks/${taskId}/approve`, { body }),
  complete: (taskId: string, body: TaskApprove) => request<FlowInstanceView>('POST', `/approval-tasks/${taskId}/complete`, { body }),
  reject: (taskId: string, body: TaskReject) => request<FlowInstanceView>('POST', `/approval-tasks/${taskId}/reject`, { body }),
  return: (taskId: string, body: TaskReturn) => request<FlowInstanceView>('POST', `/approval-tasks/${taskId}/return`, { body }),
  transfer: (taskId: string, body: TaskTransfer) => request<FlowInstanceView>('POST', `/approval-tasks/${taskId}/transfer`, { body }),
  addSigner: (taskId: string, body: TaskAddSigner) => request<FlowInstanceView>('POST', `/approval-tasks/${taskId}/add-signer`, { body }),
  read: (taskId: string) => request<FlowInstanceView>('POST', `/approval-tasks/${taskId}/read`, { body: {} }),
  withdraw: (instanceId: string, reason?: string) => request<FlowInstanceView>('POST', `/approval-instances/${instanceId}/withdraw`, { body: reason ? { reason } : {} }),
  urge: (instanceId: string, message?: string) => request<FlowInstanceView>('POST', `/approval-instances/${instanceId}/urge`, { body: message ? { message } : {} }),
  box: (box: ApprovalBox, cursor?: string) => request<BoxPage>('GET', '/me/approvals', { query: { box, cursor, limit: 20 } }),
};

export const useFlows = () => useQuery({ queryKey: ['approval-flows'], queryFn: () => approvalsApi.flows() });
export const useFlow = (id: string | null) => useQuery({ queryKey: ['approval-flows', id], queryFn: () => approvalsApi.flow(id!), enabled: !!id });
export const useFlowFields = (gate: ApprovalGate | undefined) =>
  useQuery({ queryKey: ['approval-flows', 'fields', gate], queryFn: () => approvalsApi.fields(gate!), enabled: !!gate, staleTime: 5 * 60_000 });
