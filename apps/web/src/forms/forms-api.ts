/** The form engine's endpoints (forms/ on the server) and their queries. */
import { useQuery } from '@tanstack/react-query';
import type { CascaderOption, FormOption, FormVersion, FormVersionSummary } from '@closeloop/contract';
import { client, unwrap, type BodyOf } from '../app/api.js';
import { currentLang } from '../app/i18n.js';

const byId = (v: string) => ({ path: { id: v } });

export const formsApi = {
  current: (categoryId: string): Promise<FormVersion> => unwrap(client.GET('/api/v1/categories/{id}/form', { params: byId(categoryId) })),
  version: (versionId: string): Promise<FormVersion> => unwrap(client.GET('/api/v1/form-versions/{id}', { params: byId(versionId) })),
  versions: (categoryId: string): Promise<{ items: FormVersionSummary[] }> =>
    unwrap(client.GET('/api/v1/categories/{id}/form/versions', { params: byId(categoryId) })),
  publish: (categoryId: string, body: BodyOf<'/api/v1/categories/{id}/form', 'post'>): Promise<FormVersion> =>
    unwrap(client.POST('/api/v1/categories/{id}/form', { params: byId(categoryId), body })),
};

/** The category's current form (what the intake form renders). */
export const useCategoryForm = (categoryId: string | undefined) =>
  useQuery({ queryKey: ['forms', 'current', categoryId], queryFn: () => formsApi.current(categoryId!), enabled: !!categoryId, staleTime: 60_000 });

/** One version by id: immutable, cached for good. */
export const useFormVersion = (id: string | null | undefined) =>
  useQuery({ queryKey: ['forms', 'version', id], queryFn: () => formsApi.version(id!), enabled: !!id, staleTime: Infinity });

export const useFormVersions = (categoryId: string | undefined) =>
  useQuery({ queryKey: ['forms', 'versions', categoryId], queryFn: () => formsApi.versions(categoryId!), enabled: !!categoryId });

/** A field's or option's label in the current language (English when there is one). */
export function localLabel(x: { label: string; labelEn?: string | null }): string {
  return currentLang() === 'en-US' && x.labelEn ? x.labelEn : x.label;
}

export function optionLabel(options: FormOption[], code: string): string {
  const o = options.find((x) => x.code === code);
  return o ? localLabel(o) : code;
}

/** Labels along a cascader path (unknown codes shown as they are). */
export function cascaderLabels(options: CascaderOption[], path: string[]): string[] {
  const out: string[] = [];
  let level: CascaderOption[] | undefined = options;
  for (const code of path) {
    const node: CascaderOption | undefined = level?.find((o) => o.code === code);
    out.push(node ? localLabel(node) : code);
    level = node?.children;
  }
  return out;
}

export interface CascaderUiOption { value: string; label: string; children?: CascaderUiOption[] }
export function toCascaderOptions(options: CascaderOption[]): CascaderUiOption[] {
  return options.map((o) => ({
    value: o.code, label: localLabel(o), ...(o.children?.length ? { children: toCascaderOptions(o.children) } : {}),
  }));
}
