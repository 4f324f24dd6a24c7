/** A small horizontal bar chart on echarts (core + the parts used), loaded only with the pages that chart. */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export interface Bar { label: string; value: number; color?: string }

export function HorizontalBars({ bars, height = 260, onClick }: { bars: Bar[]; height?: number; onClick?: (index: number) => void }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  useEffect(() => {
    click.current = onClick;
  });

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => click.current?.(p.dataIndex));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: bars.map((b) => b.label), axisTick: { show: false } },
      series: [{
        type: 'bar',
        barMaxWidth: 18,
        data: bars.map((b) => ({ value: b.value, itemStyle: b.color ? { color: b.color } : undefined })),
        label: { show: true, position: 'right' },
        cursor: onClick ? 'pointer' : 'default',
      }],
    }, true);
  }, [bars, onClick]);

  return <div ref={el} style={{ width: '100%', height }} role="img" aria-label={bars.map((b) => `${b.label} ${b.value}`).join(', ')} />;
}
