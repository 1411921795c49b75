import { useEffect, useRef } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { echarts } from './echarts';

/**
 * A thin React wrapper around one ECharts instance: created on mount (canvas renderer), the option replaced when it
 * changes, resized with its container, disposed on unmount. (Ours rather than echarts-for-react: that package's
 * default entry imports all of echarts and it adds size-sensor and fast-deep-equal for what these lines do.)
 */
export function EChart({ option, height = 320, testId }: { option: EChartsCoreOption; height?: number; testId?: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  return <div ref={el} data-testid={testId} className="echart" style={{ width: '100%', height }} />;
}
