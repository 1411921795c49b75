/**
 * A small line chart drawn with AntV F2 5 (@antv/f2) on a 2d canvas: WeChat's `<canvas type="2d">` node on weapp,
 * the `<canvas>` inside Taro's canvas element on H5 (both found through the selector query's `node()`). Lives in
 * the manager subpackage only, so F2 and its renderer never land in the main package. F2 is driven without JSX
 * (`jsx(type, props, ...children)`), so the page's React JSX is untouched.
 */
import { useEffect } from 'react';
import Taro from '@tarojs/taro';
import { Canvas as TaroCanvas } from '@tarojs/components';
import { Axis, Canvas, Chart, Legend, Line, jsx } from '@antv/f2';

export interface TrendPoint {
  /** x: a short label (e.g. 03-08). */
  x: string;
  /** The line it belongs to (legend text). */
  series: string;
  y: number;
}

/** F2's classic `jsx(type, props, ...children)`; its generic typings do not accept class components with required props. */
type F2Node = { props: ConstructorParameters<typeof Canvas>[0] };
const h = jsx as unknown as (type: unknown, props: Record<string, unknown>, ...children: F2Node[]) => F2Node;

/** How many times the chart looks for its laid-out canvas before giving up (backing off 50 ms → 1 s). */
const RETRIES = 15;

const COLORS = ['#5b8ff9', '#61ddaa', '#65789b', '#f6bd16', '#e86452'];

/** Draws `data` once the canvas node exists, again when it changes; destroyed with the page. */
export function TrendChart({ id, data, height = 180 }: { id: string; data: TrendPoint[]; height?: number }) {
  const key = JSON.stringify(data);
  useEffect(() => {
    let chart: Canvas | null = null;
    let gone = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    // Taro's H5 canvas is a web component whose inner <canvas> appears a render later; a slow phone can lay the
    // page out late too. Not ready yet → ask again, backing off, for about 10 s in all.
    const again = (attempt: number) => {
      if (!gone && attempt < RETRIES) retry = setTimeout(() => draw(attempt + 1), Math.min(50 * 2 ** attempt, 1_000));
    };
    const draw = (attempt: number) =>
      Taro.createSelectorQuery()
        .select(`#${id}`)
        .boundingClientRect()
        .select(`#${id}`)
        .node()
        .exec((res: { width?: number; height?: number; node?: HTMLCanvasElement | null }[] | null) => {
          const rect = res?.[0];
          const node = res?.[1]?.node;
          if (gone) return;
          if (!node || typeof node.getContext !== 'function' || !rect?.width) return again(attempt);
          const ratio = Taro.getWindowInfo?.().pixelRatio ?? 2;
          node.width = rect.width * ratio;
          node.height = (rect.height ?? height) * ratio;
          const context = node.getContext('2d');
          const own = node as unknown as Partial<Record<'requestAnimationFrame' | 'cancelAnimationFrame' | 'createImage', (...a: never[]) => unknown>>;
          if (!context) return again(attempt);
          const series = [...new Set(data.map((p) => p.series))];
          const { props } = h(
            Canvas,
            {
              context,
              pixelRatio: ratio,
              width: rect.width,
              height: rect.height ?? height,
              animate: false,
              // WeChat's canvas node brings its own frame timer and image factory (no window there); H5 uses the globals.
              requestAnimationFrame: own.requestAnimationFrame?.bind(node),
              cancelAnimationFrame: own.cancelAnimationFrame?.bind(node),
              createImage: own.createImage?.bind(node),
            },
            h(
              Chart,
              { data, scale: { y: { min: 0, nice: true } } },
              h(Axis, { field: 'x', style: { label: { fontSize: 10 } } }),
              h(Axis, { field: 'y', style: { label: { fontSize: 10 } } }),
              h(Line, { x: 'x', y: 'y', color: { field: 'series', range: COLORS.slice(0, series.length) } }),
              h(Legend, { position: 'top', style: { justifyContent: 'center' } }),
            ),
          );
          chart = new Canvas(props);
          void chart.render();
        });
    Taro.nextTick(() => draw(0));
    return () => {
      gone = true;
      clearTimeout(retry);
      chart?.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, key, height]);
  return <TaroCanvas type='2d' id={id} className='trend-chart' style={{ width: '100%', height: `${height}px` }} />;
}
