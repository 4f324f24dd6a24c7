/** Issuing a ticket command: the updated ticket replaces the cached one; history and lists refresh. */
import { App } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Ticket, TicketCommand, Transition } from '@closeloop/contract';
import { api } from '../../app/api.js';
import { errorMessage } from '../../app/errors.js';

export function useTicketCommand(ticket: Ticket) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  return useMutation({
    mutationFn: (body: Transition) => api.transition(ticket.id, body),
    onSuccess: (updated, body) => {
      qc.setQueryData(['ticket', ticket.id], updated);
      void qc.invalidateQueries({ queryKey: ['ticket', ticket.id] });
      void qc.invalidateQueries({ queryKey: ['tickets'] });
      void qc.invalidateQueries({ queryKey: ['customer-tickets'] });
      // The rectification steps have their own wording (方案已提交, 验收已通过 …) rather than "…成功".
      const own = `rectification.done.${body.command}`;
      // A cancellation held for its approval flow (撤销审批) has not cancelled anything yet.
      if (body.command === 'cancel' && updated.cancellationPending) { message.success(t('approvals.cancellationSubmitted')); return; }
      message.success(i18n.exists(own) ? t(own) : t('actions.done', { action: commandLabel(t, body.command, ticket) }));
    },
    onError: (err) => message.error(errorMessage(t, err)),
  });
}

export function commandLabel(t: (k: string) => string, command: TicketCommand, ticket?: Pick<Ticket, 'waitingOnCustomer'>): string {
  if (command === 'set_waiting') return t(ticket?.waitingOnCustomer ? 'command.set_waiting_off' : 'command.set_waiting');
  return t(`command.${command}`);
}

