/** The calendar endpoints the settings tab uses (kept beside the tab, like its only caller). */
import { useQuery } from '@tanstack/react-query';
import type { Calendar, OfficialHolidaysResult, OfficialYear } from '@closeloop/contract';
import { request } from '../../app/api.js';

export const calendarsApi = {
  list: () => request<{ items: Calendar[]; officialYears: OfficialYear[] }>('GET', '/calendars'),
  create: (body: unknown) => request<Calendar>('POST', '/calendars', { body }),
  update: (id: string, body: unknown) => request<Calendar>('PATCH', `/calendars/${id}`, { body }),
  fillOfficial: (id: string, year: number) =>
    request<OfficialHolidaysResult>('POST', `/calendars/${id}/official-holidays`, { body: { year } }),
};

export const useCalendars = () => useQuery({ queryKey: ['calendars'], queryFn: calendarsApi.list });
