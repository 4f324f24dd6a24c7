/**
 * Demo routing (seed 000 第1步, seed 003 §2.1–2.2): the tag library, skill groups and the rules
 * that make the seeds' examples work out of the box —
 *   问题类型=软件Bug → 研发部-技术支持组; 产品线=A系列 且 硬件 → A产品线-质量工程师;
 *   物流问题 → 物流组; 厨房电器 → 厨电售后组; and 分级 P1/P2/P3 from seed 003 §2.2.
 * Loaded after the demo tickets were played, so their history stays as it was planned; every
 * ticket registered afterwards goes through these rules.
 */
import type { RuleCreate, RuleDefinition } from '@closeloop/contract';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import type { Db, Tx } from '../db/client.js';
import { createRule } from '../routing/create-rule.js';
import { saveSkillGroup } from '../routing/save-skill-group.js';
import { saveTag } from '../routing/save-tag.js';
import { setGroupMember } from '../routing/set-group-member.js';
import type { CategoryCode } from './categories.js';
import type { DeptCode } from './org.js';
import { DEMO_TAGS, type DemoTag } from './tags.js';

export interface DemoGroup { name: string; dept: DeptCode; strategy: 'round_robin' | 'least_open'; members: string[] }

export const DEMO_GROUPS: readonly DemoGroup[] = [
  { name: '研发技术支持组', dept: 'rd-support', strategy: 'round_robin', members: ['handler01', 'handler02'] },
  { name: 'A产品线-质量工程师', dept: 'qa', strategy: 'round_robin', members: ['handler03'] },
  { name: '物流组', dept: 'logistics', strategy: 'least_open', members: ['handler07', 'handler08'] },
  { name: '厨电售后组', dept: 'production', strategy: 'round_robin', members: ['handler05', 'handler06'] },
];

/** Seed 003 §2.2 一级: safety or basic use lost, or the customer threatens to complain / return. */
export const P1_WORDS = ['漏电', '触电', '麻手', '冒烟', '起火', '着火', '烧焦', '爆炸', '不制冷', '变质', '投诉', '退货', '曝光', '12315', '媒体'];
/** 二级: use impaired (works, but badly). */
export const P2_WORDS = ['异响', '噪音', '漏水', '滴水', '制冷效果差', '夹生', '晃动', '闪退', '失败', '不排水', '不脱水'];

interface Ctx {
  depts: Map<DeptCode, string>;
  people: Map<string, { id: string }>;
  categories: Map<CategoryCode, string>;
}

async function seedTags(db: Db, tags: readonly DemoTag[], parentId: string | null, ids: Map<string, string>, prefix = ''): Promise<void> {
  for (const t of tags) {
    const tag = await saveTag({
      db, actor: SYSTEM_ACTOR,
      input: { name: t.name, parentId, keywords: t.keywords ?? [], synonyms: t.synonyms ?? [], active: true },
    });
    const path = prefix ? `${prefix} › ${t.name}` : t.name;
    ids.set(path, tag.id);
    await seedTags(db, t.children ?? [], tag.id, ids, path);
  }
}

export async function seedDemoRouting(tx: Tx, ctx: Ctx): Promise<void> {
  const db = tx as unknown as Db;
  const tagIds = new Map<string, string>();
  await seedTags(db, DEMO_TAGS, null, tagIds);
  const groups = new Map<string, string>();
  for (const g of DEMO_GROUPS) {
    const group = await saveSkillGroup({
      db, actor: SYSTEM_ACTOR, input: { name: g.name, departmentId: ctx.depts.get(g.dept)!, strategy: g.strategy, active: true },
    });
    for (const m of g.members) {
      await setGroupMember({ db, actor: SYSTEM_ACTOR, groupId: group.id, input: { userId: ctx.people.get(m)!.id, onDuty: true, capacity: null } });
    }
    groups.set(g.name, group.id);
  }
  const cat = (c: CategoryCode) => ctx.categories.get(c)!;
  const intake = (d: Omit<RuleDefinition, 'trigger'>): RuleDefinition => ({ trigger: 'intake', ...d });
  const rules: RuleCreate[] = [
    {
      name: '分级·一般(P3)', position: 100, active: true,
      description: '三级（一般）：客户未表示紧急时的默认级别（种子文档 003 §2.2）',
      definition: intake({ conditions: { field: 'urgency', op: 'in', value: ['low', 'medium'] }, actions: [{ type: 'setPriority', priority: 'P3' }] }),
    },
    {
      name: '分级·重要(P2)', position: 110, active: true,
      description: '二级（重要）：影响使用体验；VIP 客户的质量故障至少为二级',
      definition: intake({
        conditions: { any: [
          { field: 'keywords', op: 'any', value: P2_WORDS },
          { all: [{ field: 'customerTier', op: 'in', value: ['vip'] }, { field: 'category', op: 'in', value: [cat('quality')] }] },
        ] },
        actions: [{ type: 'setPriority', priority: 'P2' }],
      }),
    },
    {
      name: '分级·紧急(P1)', position: 120, active: true,
      description: '一级（紧急）：影响安全或基本使用，或客户明确要投诉/退货',
      definition: intake({ conditions: { field: 'keywords', op: 'any', value: P1_WORDS }, actions: [{ type: 'setPriority', priority: 'P1' }] }),
    },
    {
      name: '软件Bug→研发', position: 200, active: true,
      description: '问题类型为“软件Bug”的工单自动分派给研发部-技术支持组',
      definition: intake({ conditions: { field: 'category', op: 'in', value: [cat('software-bug')] }, actions: [{ type: 'assignGroup', skillGroupId: groups.get('研发技术支持组')! }] }),
    },
    {
      name: 'A系列硬件→A产品线质量工程师', position: 210, active: true,
      description: '涉及产品线为“A系列”的硬件问题自动指派给 A 产品线-质量工程师',
      definition: intake({
        conditions: { all: [
          { field: 'productModel', op: 'matches', value: 'A\\d+$' },
          { field: 'category', op: 'in', value: [cat('quality'), cat('installation')] },
        ] },
        actions: [{ type: 'assignGroup', skillGroupId: groups.get('A产品线-质量工程师')! }],
      }),
    },
    {
      name: '物流问题→物流组', position: 220, active: true,
      definition: intake({ conditions: { field: 'category', op: 'in', value: [cat('logistics')] }, actions: [{ type: 'assignGroup', skillGroupId: groups.get('物流组')! }] }),
    },
    {
      name: '厨房电器→厨电售后组', position: 230, active: true,
      description: '电饭煲等厨房电器的质量与安装问题派给擅长厨电的售后小组',
      definition: intake({
        conditions: { all: [
          { any: [{ field: 'productModel', op: 'prefix', value: ['RC-'] }, { field: 'keywords', op: 'any', value: ['电饭煲', '电压力锅', '煮饭'] }] },
          { field: 'category', op: 'in', value: [cat('quality'), cat('installation')] },
        ] },
        actions: [{ type: 'assignGroup', skillGroupId: groups.get('厨电售后组')! }, { type: 'addTags', tagIds: [tagIds.get('烹饪效果异常')!] }],
      }),
    },
  ];
  for (const input of rules) await createRule({ db, actor: SYSTEM_ACTOR, input });
}
