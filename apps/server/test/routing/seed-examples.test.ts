/**
 * The seeds' routing and 分级 examples (seed 000 第1步, seed 003 §2.1–2.2) on the demo
 * configuration, through the API: each case is the seed's own words.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categories, departments, notifications, users } from '../../src/db/schema.js';
import { runOutboxOnce } from '../../src/jobs/runner.js';
import { seedDemo } from '../../src/demo/seed-demo.js';
import { backends } from '../backends.js';
import { createTestApp, json, login, type TestApp } from '../harness.js';
import { nextPhone, ticketBody } from '../ticket-fixtures.js';

describe.each(backends)('seed routing examples on $name', (backend) => {
  let t: TestApp;
  let agent: Record<string, string>;
  let password = '';
  const cat = new Map<string, string>();
  const dept = new Map<string, string>();
  const user = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp(backend);
    const seeded = await seedDemo({ db: t.db, ticketCount: 12 });
    password = seeded.password!;
    agent = await login(t.app, 'agent01', password);
    for (const c of await t.db.select().from(categories)) cat.set(c.code, c.id);
    for (const d of await t.db.select().from(departments)) dept.set(d.name, d.id);
    for (const u of await t.db.select().from(users)) user.set(u.id, u.username);
  }, 240_000);
  afterAll(async () => { await t?.close(); });

  async function intake(category: string, over: Parameters<typeof ticketBody>[1] = {}) {
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/tickets', headers: agent,
      payload: ticketBody(cat.get(category)!, { customer: { name: '测试客户', phone: nextPhone() }, ...over }),
    });
    expect(res.statusCode, res.body).toBe(201);
    return json(res);
  }
  async function events(id: string) {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}/events`, headers: agent });
    return json(res).items as Array<{ type: string; data: Record<string, unknown> | null }>;
  }
  async function tagPaths(id: string) {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}/tags`, headers: agent });
    return (json(res).items as Array<{ path: string; state: string }>).map((x) => `${x.path}:${x.state}`);
  }

  it('问题类型=软件Bug → 研发部-技术支持组, the firing on the timeline', async () => {
    const a = await intake('software-bug', { title: 'App 配网失败', description: '配网进行到 90% 提示设备连接超时。', product: { model: 'SR-X7' } });
    const b = await intake('software-bug', { title: 'App 闪退', description: '进入设备页面 1 秒后 App 闪退。', product: { model: 'SR-X7' } });
    for (const x of [a, b]) {
      expect(x.department.id).toBe(dept.get('研发部-技术支持组'));
      expect(['handler01', 'handler02']).toContain(user.get(x.owner.id));
    }
    // Round-robin: two tickets in a row go to the two members.
    expect(a.owner.id).not.toBe(b.owner.id);
    const fired = (await events(a.id)).filter((e) => e.type === 'ticket.rule_fired').map((e) => e.data!.name);
    expect(fired).toContain('软件Bug→研发');
    const assigned = (await events(a.id)).find((e) => e.type === 'ticket.assigned');
    expect(String(assigned!.data!.reason)).toMatch(/^rule:/);
  });

  it('产品线=A系列 且 硬件 → A产品线-质量工程师', async () => {
    const x = await intake('quality', { title: '空调运行有异响', description: '外机运行时有异响。', product: { model: 'KFR-35GW/A1' } });
    expect(x.department.id).toBe(dept.get('质量部'));
    expect(user.get(x.owner.id)).toBe('handler03');
    const other = await intake('quality', { title: '空调运行有异响', description: '外机运行时有异响。', product: { model: 'KFR-26GW/B2' } });
    // Not A系列: the category's default (质量部, no owner: in the department's queue).
    expect(other.owner).toBeNull();
    expect(other.department.id).toBe(dept.get('质量部'));
  });

  it('物流问题 → 物流组', async () => {
    const x = await intake('logistics', { title: '快递外包装破损', description: '外包装箱一角压塌，外壳凹陷。' });
    expect(x.department.id).toBe(dept.get('仓储物流部'));
    expect(['handler07', 'handler08']).toContain(user.get(x.owner.id));
    expect(await tagPaths(x.id)).toContain('物流问题 › 外包装破损:suggested');
  });

  it('电饭煲煮饭夹生 (seed 003): tagged 烹饪效果异常-夹生, to the kitchen-appliance group', async () => {
    const x = await intake('quality', {
      title: '电饭煲煮饭夹生', product: { model: 'CFXB40FC8055' },
      description: '苏泊尔CFXB40FC8055，购买3个月，煮饭模式下，米水比例1:1.2（按说明书），煮出米饭外层软、中间硬，已尝试清洁内锅和感温探头，问题仍存在。',
    });
    expect(x.department.id).toBe(dept.get('生产部'));
    expect(['handler05', 'handler06']).toContain(user.get(x.owner.id));
    expect(x.priority).toBe('P2');
    const paths = await tagPaths(x.id);
    expect(paths).toContain('烹饪效果异常 › 夹生:suggested');
    expect(paths).toContain('烹饪效果异常:confirmed');
  });

  it('分级 (seed 003 §2.2): 漏电 / 不制冷导致食材变质 / 要投诉 → P1; 影响体验 → P2; else P3', async () => {
    const p1a = await intake('quality', { title: '热水器漏电', description: '洗澡时出水有麻手感，漏电保护插头跳闸。', product: { model: 'F80-21B1' } });
    const p1b = await intake('quality', { title: '冰箱不制冷', description: '冰箱不制冷导致食材变质。', product: { model: 'BCD-218D' } });
    const p1c = await intake('return', { title: '洗衣机又坏了', description: '第三次维修了，客户明确说要投诉，要求退货。', product: { model: 'XQB80-S1' } });
    const p2 = await intake('quality', { title: '洗衣机脱水噪音大', description: '脱水时噪音很大。', product: { model: 'XQB80-S1' } });
    const p3 = await intake('consult', { title: '滤网怎么清洗', description: '想了解滤网清洗步骤。', urgency: 'low' });
    expect([p1a.priority, p1b.priority, p1c.priority, p2.priority, p3.priority]).toEqual(['P1', 'P1', 'P1', 'P2', 'P3']);
    const fired = (await events(p1a.id)).filter((e) => e.type === 'ticket.rule_fired').map((e) => e.data!.name);
    expect(fired).toEqual(expect.arrayContaining(['分级·紧急(P1)']));
  });

  it('a priority the agent chose stands over the rules', async () => {
    const x = await intake('quality', { title: '热水器漏电', description: '漏电保护插头跳闸。', priority: 'P3', urgency: 'low' });
    expect(x.priority).toBe('P3');
  });

  it('an unowned ticket is in its department queue (待领取) and its members are notified', async () => {
    const x = await intake('quality', { title: '洗衣机不排水', description: '不排水，面板显示 E21。', product: { model: 'XQB80-S1' } });
    expect(x.owner).toBeNull();
    // Drain: the demo data leaves many rows (every event also has a webhooks row).
    for (let i = 0; i < 100 && await runOutboxOnce({ db: t.db, instanceId: 'routing-test' }) > 0; i++);
    const qa = await login(t.app, 'handler04', password);
    const rd = await login(t.app, 'handler01', password);
    const queue = async (h: Record<string, string>) => (json(await t.app.inject({ method: 'GET', url: '/api/v1/tickets?owner=queue', headers: h })).items as Array<{ id: string }>).map((i) => i.id);
    expect(await queue(qa)).toContain(x.id);
    expect(await queue(rd)).not.toContain(x.id);
    const counts = json(await t.app.inject({ method: 'GET', url: '/api/v1/tickets/counts?owner=queue&groupBy=status', headers: qa }));
    expect(counts.total).toBeGreaterThanOrEqual(1);
    const bell = await t.db.select().from(notifications).where(and(eq(notifications.ticketId, x.id), eq(notifications.kind, 'ticket_queued')));
    const who = bell.map((n) => user.get(n.userId)).sort();
    expect(who).toEqual(expect.arrayContaining(['handler03', 'handler04', 'manager03']));
    expect(who).not.toContain('handler01');
  });

  it('filters the list by tag', async () => {
    const x = await intake('quality', { title: '空调异响', description: '室内机有咔咔异响。', product: { model: 'KFR-26GW/B2' } });
    const tags = json(await t.app.inject({ method: 'GET', url: '/api/v1/tags', headers: agent })).items as Array<{ id: string; path: string }>;
    const noise = tags.find((g) => g.path === '质量故障 › 电机异响')!;
    const leak = tags.find((g) => g.path === '质量故障 › 漏电')!;
    const list = async (tag: string) => (json(await t.app.inject({ method: 'GET', url: `/api/v1/tickets?tag=${tag}`, headers: agent })).items as Array<{ id: string }>).map((i) => i.id);
    expect(await list(noise.id)).toContain(x.id);
    expect(await list(leak.id)).not.toContain(x.id);
    // Removed by a person: no longer under the tag; the decision is on the timeline.
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${x.id}/tags`, headers: agent, payload: { remove: [noise.id], add: [leak.id] } });
    expect(res.statusCode, res.body).toBe(200);
    expect(await list(noise.id)).not.toContain(x.id);
    expect(await list(leak.id)).toContain(x.id);
    expect((await events(x.id)).map((e) => e.type)).toContain('ticket.tags_decided');
    const bad = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${x.id}/tags`, headers: agent, payload: { confirm: [tags.find((g) => g.path === '物流问题 › 发错货')!.id] } });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.fields[0].path).toBe('confirm.0');
  });
});
