/** Create-or-update for the settings forms: server field errors go onto the form's fields. */
import { App, type FormInstance } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.js';
import { errorMessage, fieldMessage, fieldPath } from '../../app/errors.js';

export function useSave<T>(opts: { form: FormInstance; invalidate: string[]; save: (body: T) => Promise<unknown>; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: opts.save,
    onSuccess: () => {
      message.success(t('common.saved'));
      for (const k of opts.invalidate) void qc.invalidateQueries({ queryKey: [k] });
      opts.onDone();
    },
    onError: (err) => {
      if (err instanceof ApiError && err.fields.length) {
        opts.form.setFields(err.fields.map((f) => ({ name: fieldPath(f.path) as never, errors: [fieldMessage(t, f)] })));
      }
      message.error(errorMessage(t, err));
    },
  });
}
