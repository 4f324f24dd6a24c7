import { describe, expect, it } from 'vitest';
import { ApiError } from './api.js';
import { errorMessage, fieldLabelKey, fieldMessage, fieldPath } from './errors.js';
import { translator } from '../test-i18n.js';

describe('API errors in the user\'s language', () => {
  it('turns the server\'s zod field errors into Chinese sentences', async () => {
    const t = await translator('zh-CN');
    expect(fieldMessage(t, { path: 'product.model', message: 'Invalid input: expected string, received undefined', code: 'invalid_type' })).toBe('此项为必填项');
    expect(fieldMessage(t, { path: 'title', message: 'Too small: expected string to have >=1 characters', code: 'too_small' })).toBe('此项为必填项');
    expect(fieldMessage(t, { path: 'customer.email', message: 'Invalid email address', code: 'invalid_format' })).toBe('邮箱格式不正确');
    expect(fieldMessage(t, { path: 'customer.phone', message: 'give at least one of phone, email, externalId', code: 'custom' })).toBe('请至少填写客户电话或邮箱中的一项');
    expect(fieldMessage(t, { path: 'customer.phone', message: 'not a phone number', code: 'invalid_format' })).toBe('电话号码格式不正确');
    expect(fieldMessage(t, { path: 'title', message: 'Too big: expected string to have <=200 characters', code: 'too_big' })).toBe('内容过长或数值过大');
  });

  it('names the code\'s meaning, with the server\'s reason where it helps', async () => {
    const t = await translator('zh-CN');
    expect(errorMessage(t, new ApiError(409, 'INVALID_TRANSITION', 'accept is not allowed from analyzing'))).toBe('当前状态下不能执行此操作：accept is not allowed from analyzing');
    expect(errorMessage(t, new ApiError(0, 'NETWORK', 'Failed to fetch'))).toBe('网络连接失败，请检查网络后重试');
    expect(errorMessage(t, new ApiError(502, 'HTTP_502', 'Bad Gateway'))).toBe('服务器出错了，请稍后重试');
    expect(errorMessage(t, new ApiError(400, 'VALIDATION_FAILED', 'x', [{ path: 'product.model', message: 'required', code: 'invalid_type' }])))
      .toBe('提交的内容有误：产品型号 此项为必填项');
    const en = await translator('en-US');
    expect(errorMessage(en, new ApiError(403, 'CSRF_REJECTED', 'cross-site'))).toBe('The request\'s origin was refused. Reload the page and try again');
  });

  it('maps dotted server paths onto form names and label keys', () => {
    expect(fieldPath('customer.name')).toEqual(['customer', 'name']);
    expect(fieldPath('plan.measures.0.action')).toEqual(['plan', 'measures', 0, 'action']);
    expect(fieldLabelKey('customer.name')).toBe('customerName');
    expect(fieldLabelKey('product.purchaseDate')).toBe('productPurchaseDate');
  });
});
