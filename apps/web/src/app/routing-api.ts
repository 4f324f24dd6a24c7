/** Routing endpoints (tags, rules, skill groups, a ticket's tags) for the settings and detail pages. */
import { useQuery } from '@tanstack/react-query';
import type {
  Rule, RuleCreate, RuleTestRequest, RuleTestResult, RuleUpdate, SkillGroup, SkillGroupMemberInput, Tag, TicketTag,
  TicketTagDecision,
} from '@closeloop/contract';
import { request } from './api.js';

interface Items<T> { items: T[] }

export const routingApi = {
  tags: () => request<Items<Tag>>('GET', '/tags'),
  createTag: (body: unknown) => request<Tag>('POST', '/tags', { body }),
  updateTag: (id: string, body: unknown) => request<Tag>('PATCH', `/tags/${id}`, { body }),
  ticketTags: (id: string) => request<Items<TicketTag>>('GET', `/tickets/${id}/tags`),
  decideTicketTags: (id: string, body: Partial<TicketTagDecision>) => request<Items<TicketTag>>('POST', `/tickets/${id}/tags`, { body }),
  rules: () => request<Items<Rule>>('GET', '/rules'),
  createRule: (body: RuleCreate) => request<Rule>('POST', '/rules', { body }),
  updateRule: (id: string, body: RuleUpdate) => request<Rule>('PATCH', `/rules/${id}`, { body }),
  testRules: (body: RuleTestRequest) => request<RuleTestResult>('POST', '/rules/test', { body }),
  skillGroups: () => request<Items<SkillGroup>>('GET', '/skill-groups'),
  createSkillGroup: (body: unknown) => request<SkillGroup>('POST', '/skill-groups', { body }),
  updateSkillGroup: (id: string, body: unknown) => request<SkillGroup>('PATCH', `/skill-groups/${id}`, { body }),
  setGroupMember: (id: string, body: Partial<SkillGroupMemberInput> & { userId: string }) => request<SkillGroup>('PUT', `/skill-groups/${id}/members`, { body }),
  removeGroupMember: (id: string, userId: string) => request<SkillGroup>('DELETE', `/skill-groups/${id}/members/${userId}`),
};

const SHORT = 60_000;
export const useTags = (enabled = true) =>
  useQuery({ queryKey: ['tags'], queryFn: async () => (await routingApi.tags()).items, staleTime: SHORT, enabled });
export const useSkillGroups = (enabled = true) =>
  useQuery({ queryKey: ['skill-groups'], queryFn: async () => (await routingApi.skillGroups()).items, staleTime: SHORT, enabled });
export const useRules = () => useQuery({ queryKey: ['rules'], queryFn: async () => (await routingApi.rules()).items });
