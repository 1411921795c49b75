/**
 * ECharts, tree-shaken: only the chart types, components and renderer the dashboard draws with are registered
 * (echarts/core + echarts/charts + echarts/components + echarts/renderers), so the dashboard chunk carries a part of
 * the library, and only the dashboard and ratings sections load it.
 */
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, PolarComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, HeatmapChart, GridComponent, PolarComponent, TooltipComponent, LegendComponent, VisualMapComponent, CanvasRenderer]);

export { echarts };
