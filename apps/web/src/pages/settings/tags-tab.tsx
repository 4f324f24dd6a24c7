/** 标签库: the tag hierarchy with the keywords and synonyms auto-tagging matches. */
import { Button, Drawer, Form, Input, Select, Space, Switch, Table, Tag as AntTag, TreeSelect } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Tag } from '@closeloop/contract';
import { routingApi, useTags } from '../../app/routing-api.js';
import { ErrorResult } from '../../components/error-result.js';
import { useSave } from './use-save.js';

interface Values { name?: string; parentId?: string | null; keywords?: string[]; synonyms?: string[]; active?: boolean }
type Node = Tag & { children?: Node[] };

export function tagTree(tags: Tag[]): Node[] {
  const byParent = new Map<string | null, Node[]>();
  for (const t of tags) {
    const list = byParent.get(t.parentId) ?? [];
    list.push({ ...t });
    byParent.set(t.parentId, list);
  }
  const build = (parent: string | null): Node[] => (byParent.get(parent) ?? []).map((n) => {
    const children = build(n.id);
    return children.length ? { ...n, children } : n;
  });
  return build(null);
}

export function TagsTab() {
  const { t } = useTranslation();
  const tags = useTags();
  const [editing, setEditing] = useState<Tag | 'new' | null>(null);
  const [form] = Form.useForm<Values>();
  const isNew = editing === 'new';
  const save = useSave<Values>({
    form, invalidate: ['tags'], onDone: () => setEditing(null),
    save: (v) => {
      const body = { name: v.name?.trim(), parentId: v.parentId ?? null, keywords: v.keywords ?? [], synonyms: v.synonyms ?? [], active: v.active ?? true };
      return isNew ? routingApi.createTag(body) : routingApi.updateTag((editing as Tag).id, body);
    },
  });
  const tree = useMemo(() => tagTree(tags.data ?? []), [tags.data]);
  const treeOptions = useMemo(() => {
    interface Option { value: string; title: string; children?: Option[] }
    const map = (nodes: Node[]): Option[] =>
      nodes.map((n) => ({ value: n.id, title: n.name, ...(n.children ? { children: map(n.children) } : {}) }));
    return map(tree);
  }, [tree]);
  const open = (tag: Tag | 'new', parentId?: string) => {
    form.resetFields();
    form.setFieldsValue(tag === 'new' ? { parentId: parentId ?? null, keywords: [], synonyms: [], active: true } : tag);
    setEditing(tag);
  };
  const words = (list: string[], color?: string) => (list.length ? <Space size={[4, 4]} wrap>{list.map((w) => <AntTag key={w} color={color}>{w}</AntTag>)}</Space> : '—');

  return (
    <>
      <Space style={{ marginBottom: 12, display: 'flex', justifyContent: 'space-between' }}>
        <span style={{ color: 'rgba(0,0,0,0.45)' }}>{t('tags.hint')}</span>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>{t('tags.new')}</Button>
      </Space>
      {tags.isError ? <ErrorResult error={tags.error} onRetry={() => void tags.refetch()} /> : (
        <Table<Node>
          rowKey="id" size="small" loading={tags.isLoading} dataSource={tree} pagination={false} scroll={{ x: 860 }}
          expandable={{ defaultExpandAllRows: true }}
          locale={{ emptyText: t('tags.empty') }}
          columns={[
            { title: t('tags.name'), dataIndex: 'name', width: 200 },
            { title: t('tags.keywords'), key: 'k', render: (_: unknown, r) => words(r.keywords, 'blue') },
            { title: t('tags.synonyms'), key: 's', render: (_: unknown, r) => words(r.synonyms) },
            { title: t('tags.active'), key: 'a', width: 80, render: (_: unknown, r) => (r.active ? <AntTag color="green">{t('tags.on')}</AntTag> : <AntTag>{t('tags.off')}</AntTag>) },
            {
              title: t('common.actions'), key: 'op', width: 150, render: (_: unknown, r) => (
                <Space size={4}>
                  <Button size="small" type="link" onClick={() => open(r)}>{t('common.edit')}</Button>
                  {r.path.split(' › ').length < 3 ? <Button size="small" type="link" onClick={() => open('new', r.id)}>{t('tags.addChild')}</Button> : null}
                </Space>
              ),
            },
          ]}
        />
      )}
      <Drawer
        open={!!editing} width={520} onClose={() => setEditing(null)} title={isNew ? t('tags.new') : t('tags.edit')} destroyOnHidden
        extra={<Button type="primary" loading={save.isPending} onClick={() => void form.validateFields().then((v) => save.mutate(v))}>{t('common.save')}</Button>}
      >
        <Form form={form} name="tag" layout="vertical" requiredMark>
          <Form.Item name="name" label={t('tags.name')} rules={[{ required: true, whitespace: true, message: t('validation.requiredNamed', { field: t('tags.name') }) }]}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="parentId" label={t('tags.parent')}>
            <TreeSelect allowClear treeDefaultExpandAll treeData={treeOptions} placeholder={t('tags.root')} />
          </Form.Item>
          <Form.Item name="keywords" label={t('tags.keywords')} extra={t('tags.keywordsHint')}>
            <Select mode="tags" tokenSeparators={[',', '，', ' ', '、']} open={false} />
          </Form.Item>
          <Form.Item name="synonyms" label={t('tags.synonyms')} extra={t('tags.synonymsHint')}>
            <Select mode="tags" tokenSeparators={[',', '，', ' ', '、']} open={false} />
          </Form.Item>
          <Form.Item name="active" label={t('tags.active')} valuePropName="checked"><Switch /></Form.Item>
        </Form>
      </Drawer>
    </>
  );
}
