/** The rectification endpoints (issue #8) through the shared typed client; TanStack Query hooks. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type {
  AcceptanceItem, AcceptanceTemplateItem, AnalysisInput, ContainmentAction, Dispute, Rectification, RectMeasure,
  RootCauseAnalysis, StageDurations,
} from '@closeloop/contract';
import { client, unwrap, type BodyOf, type Items } from '../../app/api.js';
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

const byId = (v: string) => ({ path: { id: v } });
const measure = (ticketId: string, measureId: string) => ({ path: { id: ticketId, measureId } });

export const rectApi = {
  rectification: (ticketId: string): Promise<Rectification> =>
    unwrap(client.GET('/api/v1/tickets/{id}/rectification', { params: byId(ticketId) })),
  stageDurations: (ticketId: string): Promise<StageDurations> =>
    unwrap(client.GET('/api/v1/tickets/{id}/stage-durations', { params: byId(ticketId) })),
  saveAnalysis: (ticketId: string, body: AnalysisInput): Promise<RootCauseAnalysis> =>
    unwrap(client.PUT('/api/v1/tickets/{id}/rectification/analysis', { params: byId(ticketId), body })),
  raiseDispute: (ticketId: string, body: { departmentId: string; reason: string; proposedDepartmentId?: string }): Promise<Dispute> =>
    unwrap(client.POST('/api/v1/tickets/{id}/rectification/disputes', { params: byId(ticketId), body })),
  decideDispute: (ticketId: string, disputeId: string, body: { decision: 'upheld' | 'reassigned'; responsibleDepartmentId?: string; reasons: string }): Promise<Dispute> =>
    unwrap(client.POST('/api/v1/tickets/{id}/rectification/disputes/{disputeId}/decision', { params: { path: { id: ticketId, disputeId } }, body })),
  addContainment: (ticketId: string, body: BodyOf<'/api/v1/tickets/{id}/rectification/containment', 'post'>): Promise<ContainmentAction> =>
    unwrap(client.POST('/api/v1/tickets/{id}/rectification/containment', { params: byId(ticketId), body })),
  startMeasure: (ticketId: string, m: string, body: { note?: string } = {}): Promise<RectMeasure> =>
    unwrap(client.POST('/api/v1/tickets/{id}/measures/{measureId}/start', { params: measure(ticketId, m), body })),
  completeMeasure: (ticketId: string, m: string, body: { evidenceAttachmentIds: string[]; note?: string }): Promise<RectMeasure> =>
    unwrap(client.POST('/api/v1/tickets/{id}/measures/{measureId}/complete', { params: measure(ticketId, m), body })),
  commentMeasure: (ticketId: string, m: string, body: { body: string }): Promise<RectMeasure> =>
    unwrap(client.POST('/api/v1/tickets/{id}/measures/{measureId}/comments', { params: measure(ticketId, m), body })),
  cancelMeasure: (ticketId: string, m: string, body: { reason: string }): Promise<RectMeasure> =>
    unwrap(client.POST('/api/v1/tickets/{id}/measures/{measureId}/cancel', { params: measure(ticketId, m), body })),
  recordItem: (ticketId: string, itemId: string, body: AcceptanceItemBody): Promise<AcceptanceItem> =>
    unwrap(client.PUT('/api/v1/tickets/{id}/acceptance/items/{itemId}', { params: { path: { id: ticketId, itemId } }, body })),
  myMeasures: (open = true, limit = 50): Promise<Items<MyMeasure>> =>
    unwrap(client.GET('/api/v1/me/measures', { params: { query: { open: open ? 'true' : 'false', limit } } })),
  myAcceptances: (): Promise<Items<MyAcceptance>> => unwrap(client.GET('/api/v1/me/acceptances')),
  templates: (categoryId: string): Promise<Items<AcceptanceTemplateItem>> =>
    unwrap(client.GET('/api/v1/categories/{id}/acceptance-templates', { params: byId(categoryId) })),
  createTemplate: (categoryId: string, body: { item: string; criterion: string; method?: string; sort?: number }): Promise<AcceptanceTemplateItem> =>
    unwrap(client.POST('/api/v1/categories/{id}/acceptance-templates', { params: byId(categoryId), body })),
  patchTemplate: (itemId: string, body: { item?: string; criterion?: string; method?: string | null; sort?: number; active?: boolean }): Promise<AcceptanceTemplateItem> =>
    unwrap(client.PATCH('/api/v1/acceptance-templates/{itemId}', { params: { path: { itemId } }, body })),
  deleteTemplate: async (itemId: string): Promise<void> => {
    await unwrap(client.DELETE('/api/v1/acceptance-templates/{itemId}', { params: { path: { itemId } } }));
  },
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
