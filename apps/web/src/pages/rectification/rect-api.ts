/** The rectification endpoints (issue #8) through the shared request(); TanStack Query hooks. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type {
  AcceptanceItem, AcceptanceTemplateItem, AnalysisInput, ContainmentAction, Dispute, Rectification, RectMeasure,
  RootCauseAnalysis, StageDurations,
} from '@closeloop/contract';
import { request, type Items } from '../../app/api.js';
import { errorMessage } from '../../app/errors.js';

export interface MyMeasure {
  id: string;
  ticket: { id: string; number: string; title: string; status: string; priority: string };
  action: string;
  type: 'corrective' | 'preventive';
  status: 'todo' | 'doing' | 'done' | 'cancelled';
  dueDate: string | null;
  overdue: boolean;
  criterion: RectMeasure['criterion'];
}
export interface MyAcceptance {
  ticket: MyMeasure['ticket'];
  round: number;
  startedAt: string;
  items: number;
  recorded: number;
  ownMeasureItems: number;
}
export interface AcceptanceItemBody {
  measuredValue?: string;
  result: 'pass' | 'fail' | 'na';
  naReason?: string;
  evidenceAttachmentIds?: string[];
  reportNo?: string;
  note?: string;
}

const t = (id: string) => `/tickets/${encodeURIComponent(id)}`;

export const rectApi = {
  rectification: (id: string) => request<Rectification>('GET', `${t(id)}/rectification`),
  stageDurations: (id: string) => request<StageDurations>('GET', `${t(id)}/stage-durations`),
  saveAnalysis: (id: string, body: AnalysisInput) => request<RootCauseAnalysis>('PUT', `${t(id)}/rectification/analysis`, { body }),
  raiseDispute: (id: string, body: { departmentId: string; reason: string; proposedDepartmentId?: string }) =>
    request<Dispute>('POST', `${t(id)}/rectification/disputes`, { body }),
  decideDispute: (id: string, disputeId: string, body: { decision: 'upheld' | 'reassigned'; responsibleDepartmentId?: string; reasons: string }) =>
    request<Dispute>('POST', `${t(id)}/rectification/disputes/${disputeId}/decision`, { body }),
  addContainment: (id: string, body: { location: string; action: string; ownerId: string; quantity?: number; result?: string }) =>
    request<ContainmentAction>('POST', `${t(id)}/rectification/containment`, { body }),
  startMeasure: (id: string, m: string, body: { note?: string } = {}) => request<RectMeasure>('POST', `${t(id)}/measures/${m}/start`, { body }),
  completeMeasure: (id: string, m: string, body: { evidenceAttachmentIds: string[]; note?: string }) =>
    request<RectMeasure>('POST', `${t(id)}/measures/${m}/complete`, { body }),
  commentMeasure: (id: string, m: string, body: { body: string }) => request<RectMeasure>('POST', `${t(id)}/measures/${m}/comments`, { body }),
  cancelMeasure: (id: string, m: string, body: { reason: string }) => request<RectMeasure>('POST', `${t(id)}/measures/${m}/cancel`, { body }),
  recordItem: (id: string, itemId: string, body: AcceptanceItemBody) =>
    request<AcceptanceItem>('PUT', `${t(id)}/acceptance/items/${itemId}`, { body }),
  myMeasures: (open = true, limit = 50) => request<Items<MyMeasure>>('GET', '/me/measures', { query: { open: String(open), limit } }),
  myAcceptances: () => request<Items<MyAcceptance>>('GET', '/me/acceptances'),
  templates: (categoryId: string) => request<Items<AcceptanceTemplateItem>>('GET', `/categories/${categoryId}/acceptance-templates`),
  createTemplate: (categoryId: string, body: { item: string; criterion: string; method?: string; sort?: number }) =>
    request<AcceptanceTemplateItem>('POST', `/categories/${categoryId}/acceptance-templates`, { body }),
  patchTemplate: (itemId: string, body: { item?: string; criterion?: string; method?: string | null; sort?: number; active?: boolean }) =>
    request<AcceptanceTemplateItem>('PATCH', `/acceptance-templates/${itemId}`, { body }),
  deleteTemplate: (itemId: string) => request<void>('DELETE', `/acceptance-templates/${itemId}`),
};

export const rectKey = (ticketId: string) => ['ticket', ticketId, 'rectification'] as const;

/**
 * The ticket's rectification document; refetched whenever the ticket changes (its key is under
 * ['ticket', id]). The previous answer stays on screen while the new one loads, so open dialogs survive.
 */
export function useRectification(ticketId: string, updatedAt: string) {
  return useQuery({ queryKey: [...rectKey(ticketId), updatedAt], queryFn: () => rectApi.rectification(ticketId), placeholderData: keepPreviousData });
}

/** A rectification command: success message, then the ticket, its rectification and the workbench lists refresh. */
export function useRectCommand<A, R>(ticketId: string, fn: (args: A) => Promise<R>, doneKey = 'rectification.saved') {
  const { t: tr } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['ticket', ticketId] });
      void qc.invalidateQueries({ queryKey: ['me', 'measures'] });
      void qc.invalidateQueries({ queryKey: ['me', 'acceptances'] });
      if (doneKey) message.success(tr(doneKey));
    },
    onError: (err) => message.error(errorMessage(tr, err)),
  });
}
