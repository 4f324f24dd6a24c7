/** The approval-flow endpoints (designer, instances, tasks, workbench boxes), beside their only callers. */
import { useQuery } from '@tanstack/react-query';
import type {
  ApprovalBox, ApprovalGate, FlowDefinition, FlowField, FlowInstanceView, FlowTree, FlowValidation,
  FlowDefinitionCreate, FlowDefinitionUpdate, TaskAddSigner, TaskApprove, TaskReject, TaskReturn, TaskTransfer,
  ApprovalBoxItem,
} from '@closeloop/contract';
import { client, unwrap, unwrapAs, type BodyOf } from '../../app/api.js';
import type { TreeInput } from './tree-ops.js';

export type FlowSummary = Omit<FlowDefinition, 'draft' | 'activeVersion'>;
export interface BoxPage { items: ApprovalBoxItem[]; nextCursor: string | null; todoCount: number }

const byId = (v: string) => ({ path: { id: v } });

export const approvalsApi = {
  flows: (gate?: ApprovalGate) => unwrapAs<{ items: FlowSummary[] }>(client.GET('/api/v1/approval-flows', { params: { query: { gate } } })),
  flow: (flowId: string) => unwrapAs<FlowDefinition>(client.GET('/api/v1/approval-flows/{id}', { params: byId(flowId) })),
  create: (body: FlowDefinitionCreate) => unwrapAs<FlowDefinition>(client.POST('/api/v1/approval-flows', { body: body as BodyOf<'/api/v1/approval-flows', 'post'> })),
  update: (flowId: string, body: Omit<FlowDefinitionUpdate, 'draft'> & { draft?: TreeInput }) =>
    unwrapAs<FlowDefinition>(client.PATCH('/api/v1/approval-flows/{id}', { params: byId(flowId), body: body as BodyOf<'/api/v1/approval-flows/{id}', 'patch'> })),
  remove: (flowId: string): Promise<{ ok: true }> => unwrap(client.DELETE('/api/v1/approval-flows/{id}', { params: byId(flowId) })),
  validate: (flowId: string, tree?: TreeInput | FlowTree): Promise<FlowValidation> =>
    unwrap(client.POST('/api/v1/approval-flows/{id}/validate', { params: byId(flowId), body: (tree ? { tree } : {}) as BodyOf<'/api/v1/approval-flows/{id}/validate', 'post'> })),
  publish: (flowId: string, version: number) =>
    unwrapAs<FlowDefinition>(client.POST('/api/v1/approval-flows/{id}/publish', { params: byId(flowId), body: { version } })),
  fields: (gate: ApprovalGate): Promise<{ gate: ApprovalGate; fields: FlowField[] }> =>
    unwrap(client.GET('/api/v1/approval-flows/fields', { params: { query: { gate } } })),
  ticketApprovals: (ticketId: string) =>
    unwrapAs<{ items: FlowInstanceView[] }>(client.GET('/api/v1/tickets/{id}/approvals', { params: byId(ticketId) })),
  approve: (taskId: string, body: TaskApprove) =>
    unwrapAs<FlowInstanceView>(client.POST('/api/v1/approval-tasks/{id}/approve', { params: byId(taskId), body })),
  complete: (taskId: string, body: TaskApprove) =>
    unwrapAs<FlowInstanceView>(client.POST('/api/v1/approval-tasks/{id}/complete', { params: byId(taskId), body })),
  reject: (taskId: string, body: TaskReject) =>
    unwrapAs<FlowInstanceView>(client.POST('/api/v1/approval-tasks/{id}/reject', { params: byId(taskId), body })),
  return: (taskId: string, body: TaskReturn) =>
    unwrapAs<FlowInstanceView>(client.POST('/api/v1/approval-tasks/{id}/return', { params: byId(taskId), body })),
  transfer: (taskId: string, body: TaskTransfer) =>
    unwrapAs<FlowInstanceView>(client.POST('/api/v1/approval-tasks/{id}/transfer', { params: byId(taskId), body })),
  addSigner: (taskId: string, body: TaskAddSigner) =>
    unwrapAs<FlowInstanceView>(client.POST('/api/v1/approval-tasks/{id}/add-signer', { params: byId(taskId), body })),
  read: (taskId: string) => unwrapAs<FlowInstanceView>(client.POST('/api/v1/approval-tasks/{id}/read', { params: byId(taskId) })),
  withdraw: (instanceId: string, reason?: string) =>
    unwrapAs<FlowInstanceView>(client.POST('/api/v1/approval-instances/{id}/withdraw', { params: byId(instanceId), body: reason ? { reason } : {} })),
  urge: (instanceId: string, message?: string) =>
    unwrapAs<FlowInstanceView>(client.POST('/api/v1/approval-instances/{id}/urge', { params: byId(instanceId), body: message ? { message } : {} })),
  box: (box: ApprovalBox, cursor?: string): Promise<BoxPage> =>
    unwrap(client.GET('/api/v1/me/approvals', { params: { query: { box, cursor, limit: 20 } } })),
};

export const useFlows = () => useQuery({ queryKey: ['approval-flows'], queryFn: () => approvalsApi.flows() });
export const useFlow = (id: string | null) => useQuery({ queryKey: ['approval-flows', id], queryFn: () => approvalsApi.flow(id!), enabled: !!id });
export const useFlowFields = (gate: ApprovalGate | undefined) =>
  useQuery({ queryKey: ['approval-flows', 'fields', gate], queryFn: () => approvalsApi.fields(gate!), enabled: !!gate, staleTime: 5 * 60_000 });
