/** 设置 (admins): users, departments, categories, and routing (tags, skill groups, rules). */
import { Card, Result, Tabs } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMe } from '../../app/session.js';
import { CalendarsTab } from './calendars-tab.js';
import { CategoriesTab } from './categories-tab.js';
import { DepartmentsTab } from './departments-tab.js';
import { SlaTab } from './sla-tab.js';
import { EmailDeliveriesTab } from './email-deliveries-tab.js';
import { UsersTab } from './users-tab.js';
import { WebhooksTab } from './webhooks-tab.js';
import { RulesTab } from './rules-tab.js';
import { SkillGroupsTab } from './skill-groups-tab.js';
import { TagsTab } from './tags-tab.js';
import { ApprovalFlowsTab } from '../approvals/flows-tab.js';
import { AcceptanceTemplatesTab } from '../rectification/acceptance-templates-tab.js';

export default function SettingsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'users';
  useEffect(() => {
    document.title = `${t('menu.settings')} - ${t('app.shortName')}`;
  }, [t]);
  if (me.role !== 'admin') return <Result status="403" title={t('errors.FORBIDDEN')} subTitle={t('settings.adminOnly')} />;
  return (
    <Card size="small" styles={{ body: { paddingTop: 0 } }}>
      <Tabs
        activeKey={tab}
        destroyOnHidden
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        items={[
          { key: 'users', label: t('settings.users'), children: <UsersTab /> },
          { key: 'departments', label: t('settings.departments'), children: <DepartmentsTab /> },
          { key: 'categories', label: t('settings.categories'), children: <CategoriesTab /> },
          { key: 'acceptance-templates', label: t('rectification.templates.tab'), children: <AcceptanceTemplatesTab /> },
          { key: 'calendars', label: t('calendars.tab'), children: <CalendarsTab /> },
          { key: 'sla', label: t('settings.sla'), children: <SlaTab /> },
          { key: 'tags', label: t('tags.tab'), children: <TagsTab /> },
          { key: 'skill-groups', label: t('skillGroups.tab'), children: <SkillGroupsTab /> },
          { key: 'rules', label: t('rules.tab'), children: <RulesTab /> },
          { key: 'approvals', label: t('approvals.tab'), children: <ApprovalFlowsTab /> },
          { key: 'email-deliveries', label: t('notificationPrefs.deliveries.tab'), children: <EmailDeliveriesTab /> },
          { key: 'webhooks', label: t('webhooks.tab'), children: <WebhooksTab /> },
        ]}
      />
    </Card>
  );
}
