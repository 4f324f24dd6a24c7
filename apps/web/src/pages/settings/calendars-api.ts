/** The calendar endpoints the settings tab uses (kept beside the tab, like its only caller). */
import { useQuery } from '@tanstack/react-query';
import type { Calendar, OfficialHolidaysResult, OfficialYear } from '@closeloop/contract';
import { client, unwrap, type AdminForm, type BodyOf } from '../../app/api.js';

const byId = (v: string) => ({ path: { id: v } });

export const calendarsApi = {
  list: (): Promise<{ items: Calendar[]; officialYears: OfficialYear[] }> => unwrap(client.GET('/api/v1/calendars')),
  create: (body: AdminForm): Promise<Calendar> => unwrap(client.POST('/api/v1/calendars', { body: body as BodyOf<'/api/v1/calendars', 'post'> })),
  update: (calendarId: string, body: AdminForm): Promise<Calendar> =>
    unwrap(client.PATCH('/api/v1/calendars/{id}', { params: byId(calendarId), body: body as BodyOf<'/api/v1/calendars/{id}', 'patch'> })),
  fillOfficial: (calendarId: string, year: number): Promise<OfficialHolidaysResult> =>
    unwrap(client.POST('/api/v1/calendars/{id}/official-holidays', { params: byId(calendarId), body: { year } })),
};

export const useCalendars = () => useQuery({ queryKey: ['calendars'], queryFn: calendarsApi.list });
