/** Knowledge base: publish from a ticket, edit with history, Chinese search, public reads, suggestions. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../src/db/schema.js';
import { backends } from '../backends.js';
import { createTestApp, json, makeCategory, makeDepartment, type TestApp } from '../harness.js';
import { createTicketRequest, nextPhone, person, ticketBody, type Person } from '../ticket-fixtures.js';

describe.each(backends)('knowledge on $name', (backend) => {
  let t: TestApp;
  let cat: { id: string };
  let agent: Person;
  let handler: Person;
  let customer: Person;

  beforeAll(async () => {
    t = await createTestApp(backend);
    const dept = await makeDepartment(t.db);
    cat = await makeCategory(t.db, { processTemplate: 'quick', defaultDepartmentId: dept.id });
    agent = await person(t, 'agent');
    handler = await person(t, 'handler', [dept.id]);
    customer = await person(t, 'customer');
  });
  afterAll(async () => { await t?.close(); });

  const api = (who: Person | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: who?.headers ?? {}, ...(payload ? { payload } : {}) });

  it('publishes a solved ticket as an article, edits it with history, finds it in Chinese', async () => {
    const phone = nextPhone();
    const created = json(await createTicketRequest(t, agent.headers, ticketBody(cat.id, {
      title: '滚筒洗衣机脱水时剧烈晃动', description: '洗衣机脱水时机身晃动并移位', customer: { name: '周杰', phone }, product: { model: 'XQG100-B' },
    })));
    // Not yet solved: no article from it.
    expect((await api(handler, 'GET', `/tickets/${created.id}/article-draft`)).statusCode).toBe(409);
    await api(handler, 'POST', `/tickets/${created.id}/transitions`, { command: 'accept' });
    await api(handler, 'POST', `/tickets/${created.id}/transitions`, { command: 'resolve', resolution: '拆除运输螺栓，调整底脚水平' });

    const draft = await api(handler, 'GET', `/tickets/${created.id}/article-draft`);
    expect(draft.statusCode, draft.body).toBe(200);
    expect(json(draft)).toMatchObject({
      title: '滚筒洗衣机脱水时剧烈晃动', solution: '拆除运输螺栓，调整底脚水平', models: ['XQG100-B'], sourceTicketId: created.id, categoryId: cat.id,
    });
    const bad = await api(handler, 'POST', '/knowledge/articles', { ...json(draft), solution: '' });
    expect(bad.statusCode).toBe(400);
    const made = await api(handler, 'POST', '/knowledge/articles', { ...json(draft), cause: '运输螺栓未拆除', status: 'published' });
    expect(made.statusCode, made.body).toBe(201);
    const article = json(made);
    expect(article).toMatchObject({ revision: 1, status: 'published', sourceTicket: { id: created.id, number: created.number } });

    const edited = await api(agent, 'PATCH', `/knowledge/articles/${article.id}`, { revision: 1, solution: '拆除四颗运输螺栓，调整底脚使机身水平', isPublic: true });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(json(edited)).toMatchObject({ revision: 2, isPublic: true, status: 'published', models: ['XQG100-B'], updatedBy: { id: agent.id } });
    const stale = await api(handler, 'PATCH', `/knowledge/articles/${article.id}`, { revision: 1, title: '旧版本上的修改' });
    expect(stale.statusCode).toBe(409);

    const history = json(await api(agent, 'GET', `/knowledge/articles/${article.id}/revisions`));
    expect(history.items.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
    expect(history.items[1].content).toMatchObject({ solution: '拆除运输螺栓，调整底脚水平' });
    expect(history.items[0].content).toMatchObject({ solution: '拆除四颗运输螺栓，调整底脚使机身水平' });
    const events = (await t.db.select().from(auditEvents).where(eq(auditEvents.chain, `article:${article.id}`))).map((e) => e.type);
    expect(events).toEqual(['knowledge.article_published', 'knowledge.article_revised']);

    const search = async (q: string) => json(await api(agent, 'GET', `/knowledge/articles?q=${encodeURIComponent(q)}`)).items.map((a: { id: string }) => a.id);
    expect(await search('晃动')).toContain(article.id);
    expect(await search('螺栓')).toContain(article.id);
    expect(await search('xqg100')).toContain(article.id);
    expect(await search('冰箱')).not.toContain(article.id);

    // Public: no login, published and public only; customers read the public ones; staff lists stay staff.
    const pub = await api(null, 'GET', `/public/knowledge/articles/${article.id}`);
    expect(pub.statusCode).toBe(200);
    expect((await api(null, 'GET', '/knowledge/articles')).statusCode).toBe(401);
    expect((await api(customer, 'GET', '/knowledge/articles')).statusCode).toBe(403);
    const hidden = json(await api(handler, 'POST', '/knowledge/articles', { title: '内部：电机批次问题', problem: '某批次电机', solution: '更换批次', status: 'published' }));
    expect((await api(null, 'GET', `/public/knowledge/articles/${hidden.id}`)).statusCode).toBe(404);
    expect(json(await api(null, 'GET', '/public/knowledge/articles')).items.map((a: { id: string }) => a.id)).toEqual([article.id]);

    // Intake suggestions: the article, the solved ticket, and the same customer's open duplicate.
    const open = json(await createTicketRequest(t, agent.headers, ticketBody(cat.id, {
      title: '洗衣机噪音', customer: { name: '周杰', phone }, product: { model: 'XQG80-Z' },
    })));
    const sugg = await api(agent, 'POST', '/suggestions', {
      title: '洗衣机脱水晃动厉害', description: '', customer: { phone }, product: { model: 'XQG80-Z' },
    });
    expect(sugg.statusCode, sugg.body).toBe(200);
    const s = json(sugg);
    expect(s.articles.map((a: { id: string }) => a.id)).toContain(article.id);
    expect(s.tickets.map((x: { id: string }) => x.id)).toContain(created.id);
    expect(s.duplicate).toMatchObject({ id: open.id });
    const noDup = json(await api(agent, 'POST', '/suggestions', { title: '洗衣机脱水晃动', customer: { phone }, product: { model: 'OTHER' } }));
    expect(noDup.duplicate).toBeNull();
    const similar = json(await api(agent, 'GET', `/tickets/${open.id}/similar`));
    expect(similar.duplicate).toBeNull(); // itself is not its duplicate
  });
});
