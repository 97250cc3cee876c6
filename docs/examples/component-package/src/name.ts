/** The component's name, as every error and `dovetail info` shows it: the package's name, as the docs ask of third-party components. */
export const componentName = 'dovetail-handlebars'
