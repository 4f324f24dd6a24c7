/** API calls of the follow-up and knowledge pages (beside the shared client, app/api.ts). */
import type {
  Article, ArticleInput, ArticleUpdate, EffectivenessCheck, EffectivenessOutcomeInput, FollowupSettings, FollowupSettingsUpdate,
  PhoneFollowUp, PublicFollowUp, PublicFollowUpAnswer, PublicFollowUpResult, RepeatRates, Suggestions, SuggestionInput, Ticket,
  TicketFollowupSummary, TicketLink, TicketLinkDecision,
} from '@closeloop/contract';
import { client, unwrap, type Items, type Page } from '../../app/api.js';

export interface ArticleRevision { revision: number; content: Record<string, unknown>; by: { id: string; displayName: string } | null; at: string }

const byId = (v: string) => ({ path: { id: v } });
const token = (v: string) => ({ path: { token: v } });

export const followupApi = {
  publicFollowUp: (t: string): Promise<PublicFollowUp> =>
    unwrap(client.GET('/api/v1/public/follow-up/{token}', { params: token(t) }), { quiet401: true }),
  answerFollowUp: (t: string, body: PublicFollowUpAnswer): Promise<PublicFollowUpResult> =>
    unwrap(client.POST('/api/v1/public/follow-up/{token}', { params: token(t), body }), { quiet401: true }),
  summary: (ticketId: string): Promise<TicketFollowupSummary> => unwrap(client.GET('/api/v1/tickets/{id}/follow-up', { params: byId(ticketId) })),
  resendLink: (ticketId: string): Promise<TicketFollowupSummary> =>
    unwrap(client.POST('/api/v1/tickets/{id}/follow-up-link', { params: byId(ticketId) })),
  phone: (ticketId: string, body: PhoneFollowUp): Promise<Ticket> =>
    unwrap(client.POST('/api/v1/tickets/{id}/follow-ups', { params: byId(ticketId), body })),
  recordCheck: (ticketId: string, checkId: string, body: EffectivenessOutcomeInput): Promise<EffectivenessCheck> =>
    unwrap(client.POST('/api/v1/tickets/{id}/effectiveness-checks/{checkId}', { params: { path: { id: ticketId, checkId } }, body })),
  myChecks: (): Promise<Items<EffectivenessCheck>> => unwrap(client.GET('/api/v1/me/effectiveness-checks')),
  decideLink: (ticketId: string, linkId: string, body: TicketLinkDecision): Promise<Items<TicketLink>> =>
    unwrap(client.POST('/api/v1/tickets/{id}/links/{linkId}', { params: { path: { id: ticketId, linkId } }, body })),
  settings: (categoryId: string): Promise<FollowupSettings> =>
    unwrap(client.GET('/api/v1/categories/{id}/follow-up-settings', { params: byId(categoryId) })),
  updateSettings: (categoryId: string, body: FollowupSettingsUpdate): Promise<FollowupSettings> =>
    unwrap(client.PUT('/api/v1/categories/{id}/follow-up-settings', { params: byId(categoryId), body })),
  repeatRates: (from: string, to: string): Promise<RepeatRates> =>
    unwrap(client.GET('/api/v1/insights/repeat-rate', { params: { query: { from, to } } })),

  articles: (q: { q?: string; status?: Article['status']; cursor?: string }): Promise<Page<Article>> =>
    unwrap(client.GET('/api/v1/knowledge/articles', { params: { query: q } })),
  article: (articleId: string): Promise<Article> => unwrap(client.GET('/api/v1/knowledge/articles/{id}', { params: byId(articleId) })),
  createArticle: (body: ArticleInput): Promise<Article> => unwrap(client.POST('/api/v1/knowledge/articles', { body })),
  updateArticle: (articleId: string, body: ArticleUpdate): Promise<Article> =>
    unwrap(client.PATCH('/api/v1/knowledge/articles/{id}', { params: byId(articleId), body })),
  revisions: (articleId: string): Promise<Items<ArticleRevision>> =>
    unwrap(client.GET('/api/v1/knowledge/articles/{id}/revisions', { params: byId(articleId) })),
  articleDraft: (ticketId: string): Promise<ArticleInput> => unwrap(client.GET('/api/v1/tickets/{id}/article-draft', { params: byId(ticketId) })),
  suggestions: (body: SuggestionInput, signal?: AbortSignal): Promise<Suggestions> => unwrap(client.POST('/api/v1/suggestions', { body, signal })),
  similar: (ticketId: string): Promise<Suggestions> => unwrap(client.GET('/api/v1/tickets/{id}/similar', { params: byId(ticketId) })),
};
