import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import BenchmarkCharts from './components/BenchmarkCharts.vue';
import EnginePlayground from './components/EnginePlayground.vue';
import './custom.css';

/** The default VitePress theme plus Velocity's live components. */
const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('EnginePlayground', EnginePlayground);
    app.component('BenchmarkCharts', BenchmarkCharts);
  },
};
export default theme;
