/** Workbench cards: 我的整改任务 (measures I own, any department) and 待我验收 (open acceptance rounds I may record). */
import { Badge, Card, Col, Empty, List, Row, Space, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { hasRole, useMe } from '../../app/session.js';
import { ErrorResult } from '../../components/error-result.js';
import { PriorityTag } from '../../components/tags.js';
import { TimeText } from '../../components/time-text.js';
import { MeasureStatusTag } from './plan-card.js';
import { rectApi } from './rect-api.js';
import { criterionText, dueText } from './rect-format.js';
import { ExportButton } from '../spreadsheets/export-button.js';

const ellipsis = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;

export function RectWorkbenchCards() {
  const { t } = useTranslation();
  const me = useMe();
  const canVerify = hasRole(me, 'admin', 'manager', 'verifier');
  const measures = useQuery({ queryKey: ['me', 'measures', 'open'], queryFn: () => rectApi.myMeasures(true, 50), staleTime: 30_000 });
  const acceptances = useQuery({ queryKey: ['me', 'acceptances'], queryFn: () => rectApi.myAcceptances(), staleTime: 30_000, enabled: canVerify });
  const overdue = (measures.data?.items ?? []).filter((m) => m.overdue).length;
  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} xl={canVerify ? 14 : 24}>
        <Card
          size="small"
          title={<Space size={6}>{t('rectification.workbench.myMeasures')}<Badge count={measures.data?.items.length ?? 0} size="small" color="#1677ff" /></Space>}
          extra={<Space size={8}>{overdue ? <Typography.Text type="danger" style={{ fontSize: 12 }}>{t('rectification.workbench.overdueCount', { count: overdue })}</Typography.Text> : null}<ExportButton list="measures" /></Space>}
          data-testid="wb-my-measures"
        >
          {measures.isError ? <ErrorResult compact error={measures.error} onRetry={() => void measures.refetch()} /> : (
            <List
              size="small"
              loading={measures.isLoading}
              dataSource={measures.data?.items ?? []}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rectification.workbench.noMeasures')} /> }}
              renderItem={(m) => {
                const due = dueText(m.dueDate, t);
                return (
                  <List.Item
                    data-testid="wb-measure"
                    extra={<Typography.Text type={due.overdue ? 'danger' : 'secondary'} style={{ fontSize: 12, whiteSpace: 'nowrap' }}>{due.text}</Typography.Text>}
                  >
                    <div style={{ minWidth: 0, width: '100%' }}>
                      <Space size={4} wrap>
                        <MeasureStatusTag status={m.status} />
                        {m.type === 'preventive' ? <Tag>{t('rectification.measure.preventive')}</Tag> : null}
                        <Link to={`/tickets/${m.ticket.id}`}>{m.ticket.number}</Link>
                        <PriorityTag priority={m.ticket.priority as 'P1' | 'P2' | 'P3'} />
                      </Space>
                      <div style={ellipsis}>{m.action}</div>
                      <div style={ellipsis}><Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('rectification.measure.criterion')}{t('common.colon')}{criterionText(m.criterion, t)}</Typography.Text></div>
                    </div>
                  </List.Item>
                );
              }}
            />
          )}
        </Card>
      </Col>
      {canVerify ? (
        <Col xs={24} xl={10}>
          <Card
            size="small"
            title={<Space size={6}>{t('rectification.workbench.myAcceptances')}<Badge count={acceptances.data?.items.length ?? 0} size="small" color="#13c2c2" /></Space>}
            extra={<ExportButton list="acceptance" />}
            data-testid="wb-my-acceptances"
          >
            {acceptances.isError ? <ErrorResult compact error={acceptances.error} onRetry={() => void acceptances.refetch()} /> : (
              <List
                size="small"
                loading={acceptances.isLoading}
                dataSource={acceptances.data?.items ?? []}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rectification.workbench.noAcceptances')} /> }}
                renderItem={(a) => (
                  <List.Item data-testid="wb-acceptance" extra={<Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}><TimeText value={a.startedAt} relative /></Typography.Text>}>
                    <div style={{ minWidth: 0, width: '100%' }}>
                      <Space size={4} wrap>
                        <Link to={`/tickets/${a.ticket.id}`}>{a.ticket.number}</Link>
                        <Tag color="cyan">{t('rectification.acceptance.roundN', { n: a.round })}</Tag>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('rectification.workbench.recorded', { done: a.recorded, total: a.items })}</Typography.Text>
                        {a.ownMeasureItems ? <Typography.Text type="warning" style={{ fontSize: 12 }}>{t('rectification.workbench.ownItems', { count: a.ownMeasureItems })}</Typography.Text> : null}
                      </Space>
                      <div style={ellipsis}>{a.ticket.title}</div>
                    </div>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
      ) : null}
    </Row>
  );
}
