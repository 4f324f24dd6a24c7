/** Reference data used by many pages (categories, departments, staff), cached for a while. */
import { useQuery } from '@tanstack/react-query';
import type { Category, Role } from '@closeloop/contract';
import { api } from './api.js';
import { currentLang } from './i18n.js';

const LONG = 5 * 60_000;

export const useCategories = () =>
  useQuery({ queryKey: ['categories'], queryFn: async () => (await api.categories()).items, staleTime: LONG });

export const useDepartments = (enabled = true) =>
  useQuery({ queryKey: ['departments'], queryFn: async () => (await api.departments()).items, staleTime: LONG, enabled });

export const useUsers = (params: { role?: Role; departmentId?: string } = {}, enabled = true) =>
  useQuery({ queryKey: ['users', params], queryFn: async () => (await api.users(params)).items, staleTime: LONG, enabled });

/** A department's name in the current language (English name when there is one). */
export function departmentName(d: { name: string; nameEn?: string | null }): string {
  return currentLang() === 'en-US' && d.nameEn ? d.nameEn : d.name;
}

/** A category's name in the current language (English name when there is one). */
export function categoryName(c: Pick<Category, 'name'> & { nameEn?: string | null }): string {
  return currentLang() === 'en-US' && c.nameEn ? c.nameEn : c.name;
}
