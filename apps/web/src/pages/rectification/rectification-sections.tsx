/** The rectification stages on the ticket page: analysis, containment, plan / tasks, acceptance, stage durations. */
import { Card, Skeleton } from 'antd';
import type { Ticket } from '@closeloop/contract';
import { ErrorResult } from '../../components/error-result.js';
import { AcceptanceCard } from './acceptance-card.js';
import { AnalysisCard } from './analysis-card.js';
import { ContainmentCard } from './containment-card.js';
import { PlanCard } from './plan-card.js';
import { useRectification } from './rect-api.js';
import { StageDurationsCard } from './stage-durations.js';

export function RectificationSections({ ticket }: { ticket: Ticket }) {
  const q = useRectification(ticket.id, ticket.updatedAt);
  if (q.isPending) return <Card size="small"><Skeleton active paragraph={{ rows: 3 }} /></Card>;
  if (q.isError) return <Card size="small"><ErrorResult compact error={q.error} onRetry={() => void q.refetch()} /></Card>;
  const rect = q.data;
  return (
    <>
      <AnalysisCard ticket={ticket} rect={rect} />
      <ContainmentCard ticket={ticket} rect={rect} />
      <PlanCard ticket={ticket} rect={rect} />
      <AcceptanceCard ticket={ticket} rect={rect} />
      <StageDurationsCard durations={rect.stageDurations} />
    </>
  );
}
