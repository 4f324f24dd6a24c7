/** Shown while the first page's code loads. */
import { Spin } from 'antd';

export function PageSpinner() {
  return <div style={{ display: 'grid', placeItems: 'center', height: '100vh' }}><Spin size="large" /></div>;
}
