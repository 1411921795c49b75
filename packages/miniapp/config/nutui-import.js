// babel-plugin-import options for NutUI React Taro: per-component JS and CSS (shared by babel.config.js and jest).
module.exports = {
  libraryName: '@nutui/nutui-react-taro',
  libraryDirectory: 'dist/es/packages',
  style: (name) => `${name.toLowerCase()}/style/css`,
  camel2DashComponentName: false,
  customName: (name) => `@nutui/nutui-react-taro/dist/es/packages/${name.toLowerCase()}`,
};
