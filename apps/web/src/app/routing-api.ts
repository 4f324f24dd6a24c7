/** Routing endpoints (tags, rules, skill groups, a ticket's tags) for the settings and detail pages. */
import { useQuery } from '@tanstack/react-query';
import type {
  Rule, RuleCreate, RuleTestRequest, RuleTestResult, RuleUpdate, SkillGroup, Tag, TicketTag,
} from '@closeloop/contract';
import { client, unwrap, unwrapAs, type AdminForm, type BodyOf } from './api.js';

interface Items<T> { items: T[] }
const byId = (v: string) => ({ path: { id: v } });

export const routingApi = {
  tags: (): Promise<Items<Tag>> => unwrap(client.GET('/api/v1/tags')),
  createTag: (body: AdminForm): Promise<Tag> => unwrap(client.POST('/api/v1/tags', { body: body as BodyOf<'/api/v1/tags', 'post'> })),
  updateTag: (tagId: string, body: AdminForm): Promise<Tag> =>
    unwrap(client.PATCH('/api/v1/tags/{id}', { params: byId(tagId), body: body as BodyOf<'/api/v1/tags/{id}', 'patch'> })),
  ticketTags: (ticketId: string): Promise<Items<TicketTag>> => unwrap(client.GET('/api/v1/tickets/{id}/tags', { params: byId(ticketId) })),
  decideTicketTags: (ticketId: string, body: BodyOf<'/api/v1/tickets/{id}/tags', 'post'>): Promise<Items<TicketTag>> =>
    unwrap(client.POST('/api/v1/tickets/{id}/tags', { params: byId(ticketId), body })),
  rules: () => unwrapAs<Items<Rule>>(client.GET('/api/v1/rules')),
  createRule: (body: RuleCreate) => unwrapAs<Rule>(client.POST('/api/v1/rules', { body })),
  updateRule: (ruleId: string, body: RuleUpdate) => unwrapAs<Rule>(client.PATCH('/api/v1/rules/{id}', { params: byId(ruleId), body })),
  testRules: (body: RuleTestRequest): Promise<RuleTestResult> => unwrap(client.POST('/api/v1/rules/test', { body })),
  skillGroups: (): Promise<Items<SkillGroup>> => unwrap(client.GET('/api/v1/skill-groups')),
  createSkillGroup: (body: AdminForm): Promise<SkillGroup> =>
    unwrap(client.POST('/api/v1/skill-groups', { body: body as BodyOf<'/api/v1/skill-groups', 'post'> })),
  updateSkillGroup: (groupId: string, body: AdminForm): Promise<SkillGroup> =>
    unwrap(client.PATCH('/api/v1/skill-groups/{id}', { params: byId(groupId), body: body as BodyOf<'/api/v1/skill-groups/{id}', 'patch'> })),
  setGroupMember: (groupId: string, body: BodyOf<'/api/v1/skill-groups/{id}/members', 'put'>): Promise<SkillGroup> =>
    unwrap(client.PUT('/api/v1/skill-groups/{id}/members', { params: byId(groupId), body })),
  removeGroupMember: (groupId: string, userId: string): Promise<SkillGroup> =>
    unwrap(client.DELETE('/api/v1/skill-groups/{id}/members/{userId}', { params: { path: { id: groupId, userId } } })),
};

const SHORT = 60_000;
export const useTags = (enabled = true) =>
  useQuery({ queryKey: ['tags'], queryFn: async () => (await routingApi.tags()).items, staleTime: SHORT, enabled });
export const useSkillGroups = (enabled = true) =>
  useQuery({ queryKey: ['skill-groups'], queryFn: async () => (await routingApi.skillGroups()).items, staleTime: SHORT, enabled });
export const useRules = () => useQuery({ queryKey: ['rules'], queryFn: async () => (await routingApi.rules()).items });
