import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import BenchmarkCharts from './components/BenchmarkCharts.vue';
import Diagram from './components/Diagram.vue';
import EnginePlayground from './components/EnginePlayground.vue';
import './custom.css';

/** The default VitePress theme plus Velocity's live components and its figures. */
const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('EnginePlayground', EnginePlayground);
    app.component('BenchmarkCharts', BenchmarkCharts);
    app.component('Diagram', Diagram);
  },
};
export default theme;
