// babel-preset-taro: https://docs.taro.zone/docs/next/babel-config
// NutUI through babel-plugin-import: each component brings only its own JS and CSS (the full stylesheet would add
// ~230 KB to the main package).
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5', hot: false }]],
  plugins: [['import', require('./config/nutui-import'), 'nutui-react-taro']],
};
