/**
 * Texts of the notifications the server writes, in the recipient's language (zh-CN first). The
 * web app may show its own translation by `kind`; the stored text is what e-mail and older
 * clients show.
 */
export type MessageLocale = 'zh-CN' | 'en-US';

interface TicketAssignedText {
  number: string;
  title: string;
  /** Display name of who assigned it; null = the routing rules. */
  by: string | null;
}

interface CustomerCommentText {
  number: string;
  excerpt: string;
}

export const messages = {
  'zh-CN': {
    ticketQueued: (t: { number: string; title: string }) => ({
      title: `工单 ${t.number} 待领取`,
      body: `「${t.title}」已分派到您所在的小组，尚无处理人，请在“待领取”中受理。`,
    }),
    customerCommented: (t: CustomerCommentText) => ({
      title: `工单 ${t.number} 有客户的新留言`,
      body: t.excerpt,
    }),
    ticketAssigned: (t: TicketAssignedText) => ({
      title: `工单 ${t.number} 已分派给您`,
      body: `「${t.title}」${t.by ? `由 ${t.by} 分派给您` : '由分派规则自动分派给您'}，请及时受理。`,
    }),
  },
  'en-US': {
    ticketQueued: (t: { number: string; title: string }) => ({
      title: `Ticket ${t.number} is waiting to be picked up`,
      body: `"${t.title}" was routed to your team with no owner yet. Pick it up from the queue.`,
    }),
    customerCommented: (t: CustomerCommentText) => ({
      title: `The customer wrote on ticket ${t.number}`,
      body: t.excerpt,
    }),
    ticketAssigned: (t: TicketAssignedText) => ({
      title: `Ticket ${t.number} was assigned to you`,
      body: `"${t.title}" was assigned to you ${t.by ? `by ${t.by}` : 'by the routing rules'}. Please accept it soon.`,
    }),
  },
} satisfies Record<MessageLocale, unknown>;
