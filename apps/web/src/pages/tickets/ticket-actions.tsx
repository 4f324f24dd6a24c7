/**
 * The action buttons: only the commands the server says the user may issue now
 * (allowedCommands). Each asks for what it needs — a reason, an opinion, a rating — and the
 * destructive ones ask for confirmation first.
 */
import { Button, Dropdown, Form, Input, Modal, Rate, Space, type MenuProps } from 'antd';
import { MoreOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket, TicketCommand, Transition } from '@closeloop/contract';
import { ReassignTargetFields } from './reassign-target-fields.js';
import { SubmitPlanDrawer } from '../rectification/plan-drawer.js';
import { commandLabel, useTicketCommand } from './use-ticket-command.js';

/** Button order: the step forward first, side steps after, destructive last. */
const ORDER: TicketCommand[] = [
  'accept', 'resolve', 'submit_plan', 'approve_plan', 'reject_plan', 'start_acceptance', 'pass_acceptance',
  'fail_acceptance', 'confirm', 'reassign', 'set_waiting', 'escalate', 'reopen', 'cancel',
];
/** Offered by the acceptance card of the ticket page next to the checklist (rectification/acceptance-card.tsx). */
const IN_SECTION = new Set<TicketCommand>(['pass_acceptance', 'fail_acceptance']);
const PRIMARY = new Set<TicketCommand>(['accept', 'resolve', 'submit_plan', 'approve_plan', 'start_acceptance', 'pass_acceptance', 'confirm']);
const DANGER = new Set<TicketCommand>(['cancel', 'reject_plan', 'fail_acceptance']);
/** Commands whose form is only a free text, and whether the text is required. */
const TEXT_FIELD: Partial<Record<TicketCommand, { field: 'note' | 'reason' | 'opinion' | 'resolution'; required: boolean }>> = {
  accept: { field: 'note', required: false },
  resolve: { field: 'resolution', required: true },
  approve_plan: { field: 'opinion', required: false },
  reject_plan: { field: 'opinion', required: true },
  start_acceptance: { field: 'note', required: false },
  pass_acceptance: { field: 'note', required: false },
  fail_acceptance: { field: 'reason', required: true },
  reopen: { field: 'reason', required: true },
  cancel: { field: 'reason', required: true },
  escalate: { field: 'reason', required: true },
  set_waiting: { field: 'note', required: false },
};

export function TicketActions({ ticket, compact }: { ticket: Ticket; compact?: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<TicketCommand | null>(null);
  const [form] = Form.useForm<Record<string, unknown>>();
  const transition = useTicketCommand(ticket);

  const commands = ORDER.filter((c) => ticket.allowedCommands.includes(c) && !IN_SECTION.has(c));
  if (!commands.length) return null;

  const start = (c: TicketCommand) => {
    form.resetFields();
    setOpen(c);
  };

  const submit = async () => {
    if (!open) return;
    const v = await form.validateFields();
    const text = (k: string) => (typeof v[k] === 'string' && (v[k] as string).trim() ? (v[k] as string).trim() : undefined);
    let body: Transition;
    switch (open) {
      case 'confirm':
        body = { command: 'confirm', rating: v.rating as number, ...(text('comment') ? { comment: text('comment') } : {}) };
        break;
      case 'reassign':
        body = {
          command: 'reassign',
          ...(v.departmentId ? { departmentId: v.departmentId as string } : {}),
          ...(v.ownerId ? { ownerId: v.ownerId as string } : {}),
          ...(text('reason') ? { reason: text('reason') } : {}),
        };
        break;
      case 'set_waiting':
        body = { command: 'set_waiting', waiting: !ticket.waitingOnCustomer, ...(text('note') ? { note: text('note') } : {}) };
        break;
      default: {
        const spec = TEXT_FIELD[open];
        body = { command: open, ...(spec && text(spec.field) ? { [spec.field]: text(spec.field) } : {}) } as Transition;
      }
    }
    await transition.mutateAsync(body).then(() => setOpen(null), () => undefined);
  };

  const spec = open ? TEXT_FIELD[open] : undefined;
  const buttons = commands.map((c) => ({
    c,
    node: (
      <Button
        key={c}
        type={PRIMARY.has(c) ? 'primary' : 'default'}
        danger={DANGER.has(c)}
        onClick={() => start(c)}
        data-testid={`action-${c}`}
      >
        {commandLabel(t, c, ticket)}
      </Button>
    ),
  }));
  // On phones: the first two as buttons, the rest in a "more" menu.
  const shown = compact ? buttons.slice(0, 2) : buttons;
  const rest = compact ? buttons.slice(2) : [];
  const moreItems: MenuProps['items'] = rest.map(({ c }) => ({ key: c, label: commandLabel(t, c, ticket), danger: DANGER.has(c), onClick: () => start(c) }));

  return (
    <>
      <Space wrap size={8}>
        {shown.map((b) => b.node)}
        {rest.length ? (
          <Dropdown menu={{ items: moreItems }} trigger={['click']}>
            <Button icon={<MoreOutlined />} data-testid="action-more">{t('actions.more')}</Button>
          </Dropdown>
        ) : null}
      </Space>
      {open === 'submit_plan' ? (
        <SubmitPlanDrawer ticket={ticket} onClose={() => setOpen(null)} />
      ) : (
        <Modal
          open={!!open}
          title={open ? commandLabel(t, open, ticket) : ''}
          onOk={submit}
          onCancel={() => setOpen(null)}
          okText={t('common.confirm')}
          okButtonProps={{ danger: open ? DANGER.has(open) : false, 'data-testid': 'action-confirm' } as never}
          confirmLoading={transition.isPending}
          forceRender
        >
          <Form form={form} layout="vertical">
            {open && t(`actions.hint.${open}`) !== `actions.hint.${open}` ? <p style={{ color: 'rgba(0,0,0,0.65)' }}>{t(`actions.hint.${open}`)}</p> : null}
            {open === 'confirm' ? (
              <>
                <Form.Item name="rating" label={t('field.rating')} rules={[{ required: true, message: t('actions.ratingRequired') }]}>
                  <Rate />
                </Form.Item>
                <Form.Item name="comment" label={t('field.comment')}><Input.TextArea rows={3} maxLength={4000} /></Form.Item>
              </>
            ) : null}
            {open === 'reassign' ? (
              <>
                <ReassignTargetFields />
                <Form.Item name="reason" label={t('field.reason')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
              </>
            ) : null}
            {spec ? (
              <Form.Item
                name={spec.field}
                label={t(`field.${spec.field}`)}
                rules={spec.required ? [{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t(`field.${spec.field}`) }) }] : []}
              >
                <Input.TextArea rows={3} maxLength={spec.field === 'resolution' ? 4000 : 2000} data-testid="action-text" />
              </Form.Item>
            ) : null}
          </Form>
        </Modal>
      )}
    </>
  );
}
