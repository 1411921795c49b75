/**
 * Build-time settings, read once (house rule: nothing else reads process.env except TARO_ENV checks).
 * TARO_APP_API_URL overrides the GraphQL endpoint; by default H5 talks to the server that served it (the API
 * serves the H5 build at /) and weapp to a local API.
 */
const configured = process.env.TARO_APP_API_URL;

export const IS_H5 = process.env.TARO_ENV === 'h5';

export const API_URL: string = configured ? configured : IS_H5 ? '/graphql' : 'http://localhost:4000/graphql';

/** The API server's root (for the demo's helper routes such as /demo/wx-code). */
export const API_ROOT: string = API_URL.replace(/\/graphql\/?$/, '');
