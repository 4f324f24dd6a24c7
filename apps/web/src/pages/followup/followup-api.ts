/** API calls of the follow-up and knowledge pages (beside the shared client, app/api.ts). */
import type {
  Article, ArticleInput, ArticleUpdate, EffectivenessCheck, EffectivenessOutcomeInput, FollowupSettings, FollowupSettingsUpdate,
  PhoneFollowUp, PublicFollowUp, PublicFollowUpAnswer, PublicFollowUpResult, RepeatRates, Suggestions, SuggestionInput, Ticket,
  TicketFollowupSummary, TicketLink, TicketLinkDecision,
} from '@closeloop/contract';
import { request, type Items, type Page } from '../../app/api.js';

export interface ArticleRevision { revision: number; content: Record<string, unknown>; by: { id: string; displayName: string } | null; at: string }

export const followupApi = {
  publicFollowUp: (token: string) => request<PublicFollowUp>('GET', `/public/follow-up/${encodeURIComponent(token)}`, { quiet401: true }),
  answerFollowUp: (token: string, body: PublicFollowUpAnswer) =>
    request<PublicFollowUpResult>('POST', `/public/follow-up/${encodeURIComponent(token)}`, { body, quiet401: true }),
  summary: (ticketId: string) => request<TicketFollowupSummary>('GET', `/tickets/${ticketId}/follow-up`),
  resendLink: (ticketId: string) => request<TicketFollowupSummary>('POST', `/tickets/${ticketId}/follow-up-link`),
  phone: (ticketId: string, body: PhoneFollowUp) => request<Ticket>('POST', `/tickets/${ticketId}/follow-ups`, { body }),
  recordCheck: (ticketId: string, checkId: string, body: EffectivenessOutcomeInput) =>
    request<EffectivenessCheck>('POST', `/tickets/${ticketId}/effectiveness-checks/${checkId}`, { body }),
  myChecks: () => request<Items<EffectivenessCheck>>('GET', '/me/effectiveness-checks'),
  decideLink: (ticketId: string, linkId: string, body: TicketLinkDecision) =>
    request<Items<TicketLink>>('POST', `/tickets/${ticketId}/links/${linkId}`, { body }),
  settings: (categoryId: string) => request<FollowupSettings>('GET', `/categories/${categoryId}/follow-up-settings`),
  updateSettings: (categoryId: string, body: FollowupSettingsUpdate) =>
    request<FollowupSettings>('PUT', `/categories/${categoryId}/follow-up-settings`, { body }),
  repeatRates: (from: string, to: string) => request<RepeatRates>('GET', '/insights/repeat-rate', { query: { from, to } }),

  articles: (q: { q?: string; status?: string; cursor?: string }) =>
    request<Page<Article>>('GET', '/knowledge/articles', { query: q }),
  article: (id: string) => request<Article>('GET', `/knowledge/articles/${id}`),
  createArticle: (body: ArticleInput) => request<Article>('POST', '/knowledge/articles', { body }),
  updateArticle: (id: string, body: ArticleUpdate) => request<Article>('PATCH', `/knowledge/articles/${id}`, { body }),
  revisions: (id: string) => request<Items<ArticleRevision>>('GET', `/knowledge/articles/${id}/revisions`),
  articleDraft: (ticketId: string) => request<ArticleInput>('GET', `/tickets/${ticketId}/article-draft`),
  suggestions: (body: SuggestionInput, signal?: AbortSignal) => request<Suggestions>('POST', '/suggestions', { body, signal }),
  similar: (ticketId: string) => request<Suggestions>('GET', `/tickets/${ticketId}/similar`),
};
